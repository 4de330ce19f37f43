using BpfAsm.Cli;
using static BpfAsm.Register;

namespace BpfAsm.Tests;

/// <summary>The bpfasm command run in-process, with its output captured.</summary>
public sealed class CliTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = BpfAsmCommand.Run(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private string PathOf(string name) => Path.Combine(_dir.Path, name);

    [Fact]
    public void Dis_raw_prints_the_listing_and_asm_reads_it_back()
    {
        var program = RoundRobinExample.Build();
        File.WriteAllBytes(PathOf("rr.bin"), program.Encode());

        var dis = Run("dis", "--raw", PathOf("rr.bin"));
        Assert.Equal((0, ""), (dis.ExitCode, dis.Error));
        Assert.Equal(Disassembler.Disassemble(program.Encode()), dis.Output);
        Assert.Contains("       5:\t85 00 00 00 01 00 00 00\tcall 0x1\n", dis.Output);

        File.WriteAllText(PathOf("rr.s"), dis.Output);
        var asm = Run("asm", PathOf("rr.s"), "-o", PathOf("again.bin"));
        Assert.Equal((0, ""), (asm.ExitCode, asm.Error));
        Assert.Contains("32 instructions (256 bytes)", asm.Output);
        Assert.Equal(program.Encode(), File.ReadAllBytes(PathOf("again.bin")));
    }

    [Fact]
    public void Dis_options_choose_alu32_registers_and_drop_the_bytes()
    {
        File.WriteAllBytes(PathOf("p.bin"), Instruction.Encode([Instruction.Load(MemorySize.W, W0, R1, 4), Instruction.Exit()]));
        var dis = Run("dis", "--raw", "--alu32", "--no-show-raw-insn", PathOf("p.bin"));
        Assert.Equal("       0:\tw0 = *(u32 *)(r1 + 0x4)\n       1:\texit\n", dis.Output);
    }

    [Fact]
    public void Dis_lossless_keeps_subprogram_calls_through_asm()
    {
        var program = new ProgramBuilder().Call("sub").Exit().Label("sub").Return(1).Build();
        File.WriteAllBytes(PathOf("calls.bin"), program.Encode());
        Assert.Contains("\tcall 0x1\n", Run("dis", "--raw", PathOf("calls.bin")).Output); // as llvm-objdump prints it

        var dis = Run("dis", "--raw", "--lossless", PathOf("calls.bin"));
        Assert.Contains("\tcall pc+0x1\n", dis.Output);
        File.WriteAllText(PathOf("calls.s"), dis.Output);
        Assert.Equal(0, Run("asm", PathOf("calls.s"), "-o", PathOf("again.bin")).ExitCode);
        Assert.Equal(program.Encode(), File.ReadAllBytes(PathOf("again.bin")));
    }

    [Fact]
    public void Asm_notes_references_a_raw_file_cannot_keep()
    {
        File.WriteAllText(PathOf("m.s"), "r1 = counters ll\nexit\n");
        var asm = Run("asm", PathOf("m.s"), "-o", PathOf("m.bin"));
        Assert.Equal(0, asm.ExitCode);
        Assert.Contains("instruction 0 refers to 'counters' (R_BPF_64_64)", asm.Error);
    }

    [Fact]
    public void Help_lists_the_commands()
    {
        var help = Run("--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("dis <FILE>", help.Output);
        Assert.Contains("asm <FILE>", help.Output);
        Assert.Contains("--raw", Run("dis", "--help").Output);
    }

    [Fact]
    public void Unknown_mnemonic_is_reported_with_file_line_and_column()
    {
        File.WriteAllText(PathOf("bad.s"), "r0 = 1\n  mov r0, 1\n");
        var asm = Run("asm", PathOf("bad.s"), "-o", PathOf("bad.bin"));
        Assert.Equal(BpfAsmCommand.InputError, asm.ExitCode);
        Assert.StartsWith($"{PathOf("bad.s")}:2:3: error: unknown instruction 'mov'", asm.Error);
        Assert.False(File.Exists(PathOf("bad.bin")));
    }

    [Theory]
    [InlineData("r12 = 1", "1:1: error: bad register 'r12'")]
    [InlineData("r1 = 0x1ffffffff", "1:6: error: immediate 0x1ffffffff is out of range")]
    public void Bad_register_and_immediate_out_of_range_are_reported(string text, string expected)
    {
        File.WriteAllText(PathOf("bad.s"), text);
        var asm = Run("asm", PathOf("bad.s"), "-o", PathOf("bad.bin"));
        Assert.Equal(BpfAsmCommand.InputError, asm.ExitCode);
        Assert.Contains(expected, asm.Error);
    }

    [Fact]
    public void Missing_files_and_bad_bytes_fail_with_the_cause()
    {
        var missing = Run("asm", PathOf("nope.s"), "-o", PathOf("x.bin"));
        Assert.Equal((BpfAsmCommand.InputError, $"bpfasm: error: cannot read '{PathOf("nope.s")}': no such file\n"), (missing.ExitCode, missing.Error));

        Assert.Contains("no such file", Run("dis", "--raw", PathOf("nope.bin")).Error);

        File.WriteAllBytes(PathOf("empty.bin"), []);
        Assert.Contains("is empty", Run("dis", "--raw", PathOf("empty.bin")).Error);

        File.WriteAllBytes(PathOf("bad.bin"), Convert.FromHexString("b700000000000000e400000000000000"));
        var bad = Run("dis", "--raw", PathOf("bad.bin"));
        Assert.Equal(BpfAsmCommand.InputError, bad.ExitCode);
        Assert.Contains("instruction 1 (byte offset 8): opcode 0xe4 is reserved", bad.Error);

        File.WriteAllText(PathOf("ok.s"), "exit\n");
        var unwritable = Run("asm", PathOf("ok.s"), "-o", PathOf("no/such/dir/out.bin"));
        Assert.Equal(BpfAsmCommand.InputError, unwritable.ExitCode);
        Assert.Contains("cannot write", unwritable.Error);
    }

    [Fact]
    public void Usage_errors_fail_without_running()
    {
        Assert.NotEqual(0, Run("asm", PathOf("x.s")).ExitCode); // -o is required
        Assert.NotEqual(0, Run("frobnicate").ExitCode);
    }

    [Fact]
    public void Dis_of_an_object_prints_what_llvm_objdump_prints_for_every_fixture()
    {
        Llvm.Require();
        var root = Path.Combine(Llvm.RepositoryRoot(), "tests", "fixtures", "obj");
        var objects = Directory.GetFiles(root, "*.o", SearchOption.AllDirectories)
            .Where(o => !Path.GetFileName(o).StartsWith("invalid_", StringComparison.Ordinal)).Order().ToList();
        Assert.NotEmpty(objects);
        foreach (var obj in objects)
        {
            var ours = Run("dis", "-r", obj);
            Assert.Equal((0, ""), (ours.ExitCode, ours.Error));
            Assert.Equal(Llvm.Run("llvm-objdump-19", "-dr", obj), ours.Output);
        }
    }

    [Fact]
    public void Dis_of_one_section_lists_only_that_section()
    {
        var obj = Path.Combine(Llvm.RepositoryRoot(), "tests", "fixtures", "obj", "clang19", "subprograms.o");
        var text = Run("dis", obj, "--section", ".text");
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("Disassembly of section .text:", text.Output);
        Assert.DoesNotContain("Disassembly of section xdp", text.Output);

        var missing = Run("dis", obj, "--section", "nope");
        Assert.Equal(BpfAsmCommand.InputError, missing.ExitCode);
        Assert.Contains("no program section 'nope'", missing.Error);
        Assert.Contains("'.text'", missing.Error);
    }

    [Fact]
    public void Dis_of_a_file_that_is_not_an_object_names_it_and_points_to_raw()
    {
        File.WriteAllBytes(PathOf("prog.bin"), new byte[16]);
        var notElf = Run("dis", PathOf("prog.bin"));
        Assert.Equal(BpfAsmCommand.InputError, notElf.ExitCode);
        Assert.Contains("prog.bin", notElf.Error);
        Assert.Contains("--raw", notElf.Error);

        Assert.Contains("no such file", Run("dis", PathOf("nope.o")).Error);
        Assert.Contains("--section picks a section", Run("dis", "--raw", PathOf("prog.bin"), "--section", "xdp").Error);
    }
}
