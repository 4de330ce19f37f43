using static BpfAsm.Register;

namespace BpfAsm.Tests;

public class ProgramBuilderTests
{
    /// <summary>
    /// The DSL's listing of the seed's program is llvm-objdump's listing of the same instructions: the
    /// bytes go to llvm-mc as .byte lines, each map reference as the "rN = name ll" that makes llvm-mc
    /// emit the same R_BPF_64_64 relocation, and llvm-objdump-19 prints the object. No golden text:
    /// the expected listing comes from llvm every run.
    /// </summary>
    [Fact]
    public void Round_robin_listing_equals_llvm_objdump_of_the_same_instructions()
    {
        Llvm.Require();
        var program = RoundRobinExample.Build();
        TestContext.Current.TestOutputHelper?.WriteLine(program.ToString());
        var name = program.Symbols.Single().Name;
        var bytes = program.Encode();
        var references = program.References.ToDictionary(r => r.Slot);
        var source = new System.Text.StringBuilder($"\t.section .rodata,\"a\",@progbits\n\t.long 0\n\t.section xdp,\"ax\",@progbits\n\t.globl {name}\n\t.type {name},@function\n{name}:\n");
        for (var slot = 0; slot < bytes.Length / 8; slot++)
        {
            if (references.TryGetValue(slot, out var reference))
            {
                Assert.True(reference.ValueOffset == 0, $"{reference.Name}+{reference.ValueOffset}: this test writes map references without offsets");
                source.Append($"\tr{bytes[slot * 8 + 1] & 0xf} = {reference.Name} ll\n");
                slot++; // ld_imm64 takes two slots
            }
            else
            {
                source.Append("\t.byte " + string.Join(',', bytes.AsSpan(slot * 8, 8).ToArray().Select(b => "0x" + b.ToString("x2"))) + "\n");
            }
        }
        using var dir = new TempDir();
        var obj = Llvm.AssembleObject(source.ToString(), dir.Path);
        Assert.Equal(bytes.Length, Llvm.SectionBytes(obj, ["xdp"], dir.Path)["xdp"].Length);
        var objdump = Llvm.Run(Llvm.Objdump, "-d", "-r", "--mattr=+alu32", "--no-show-raw-insn", obj).Split('\n');
        var expected = Llvm.Trim(objdump.SkipWhile(line => !line.StartsWith("Disassembly of section xdp:", StringComparison.Ordinal)).Skip(1));
        Llvm.AssertSameListing(expected, Llvm.Trim(program.ToString().Split('\n')), "the DSL's round-robin listing");
        Assert.Equal(32, program.SlotCount);
        Assert.Equal(["cpus_iterator", ".rodata", "cpus_available", "cpu_map"], program.References.Select(r => r.Name));
        Assert.Equal([ReferenceKind.MapFd, ReferenceKind.MapValue, ReferenceKind.MapFd, ReferenceKind.MapFd], program.References.Select(r => r.Kind));
    }

    [Theory]
    [InlineData("clang14")]
    [InlineData("clang19")]
    public void Round_robin_is_not_larger_than_clangs_build_of_the_seed(string compiler)
    {
        Llvm.Require();
        var obj = Path.Combine(Llvm.RepositoryRoot(), "tests", "fixtures", "obj", compiler, "round_robin.o");
        if (!File.Exists(obj))
            CpuMap.Managed.Testing.Kernel.Unavailable($"{obj} is missing: build the fixtures");
        using var dir = new TempDir();
        var clangSlots = Llvm.SectionBytes(obj, ["xdp"], dir.Path)["xdp"].Length / Instruction.SlotSize;
        var dslSlots = RoundRobinExample.Build().SlotCount;
        TestContext.Current.TestOutputHelper?.WriteLine($"round-robin instruction slots: DSL {dslSlots}, {compiler} -O2 {clangSlots}");
        Assert.True(dslSlots <= clangSlots, $"the DSL program has {dslSlots} slots, {compiler}'s {clangSlots}");
    }

    [Fact]
    public void Listing_of_the_round_robin_program_reassembles_to_the_same_program()
    {
        var program = RoundRobinExample.Build();
        var again = Assembler.Assemble(program.ToString());
        Assert.Equal(program.Instructions, again.Instructions);
        Assert.Equal(program.References.Select(r => (r.Slot, r.Name)), again.References.Select(r => (r.Slot, r.Name)));
        Assert.Equal(program.Symbols, again.Symbols);
    }

    [Fact]
    public void Map_references_by_object_keep_the_object_for_the_loader()
    {
        var map = new object();
        var program = new ProgramBuilder().LoadMapFd(R1, map, "counters").LoadMapValue(R2, map, 16, "counters").Return(0).Build();
        Assert.Same(map, program.References[0].Target);
        Assert.Equal((0, 2, 16), (program.References[0].Slot, program.References[1].Slot, program.References[1].ValueOffset));
        Assert.Contains("r2 = 0x10 ll\n\t\t0000000000000010:  R_BPF_64_64\tcounters", program.ToString()); // as clang writes a global's offset
        Assert.Equal(program.References[1], program.Metadata[1]?.Reference);
    }

    [Fact]
    public void Labels_resolve_forward_and_backward_counting_wide_loads_as_two_slots()
    {
        var program = new ProgramBuilder()
            .Label("top")
            .LoadImm64(R1, 1L << 40)
            .JumpIf(R1 > 5, "end")
            .LoadImm64(R2, -1)
            .Goto("top")
            .Label("end")
            .Return(2) // XDP_PASS
            .Build();
        Assert.Equal(3, program.Instructions[1].Offset); // over the two-slot load and the goto
        Assert.Equal(-6, program.Instructions[3].Offset); // from slot 5 back to slot 0
        Assert.Equal(Instruction.Encode(program.Instructions.AsSpan()), program.Encode());
    }

    [Fact]
    public void Calls_to_subprograms_resolve_to_pc_relative_imm()
    {
        var program = new ProgramBuilder("main").Call("double_it").Exit()
            .Subprogram("double_it").Mov(R0, R1).Add(R0, R1).Exit().Build();
        Assert.Equal((int)CallKind.Subprogram, program.Instructions[0].SrcField);
        Assert.Equal(1, program.Instructions[0].Imm);
        Assert.Equal([new ListingSymbol("main", 0), new ListingSymbol("double_it", 16)], program.Symbols);
        Assert.Contains("call pc+0x1", program.ToString());
    }

    [Fact]
    public void Callbacks_load_the_subprograms_offset_as_BPF_PSEUDO_FUNC()
    {
        var program = new ProgramBuilder("main")
            .Mov(R1, 10).LoadFunction(R2, "body").Mov(R3, 0).Mov(R4, 0).Call(BpfHelper.Loop).Exit()
            .Subprogram("body").Return(0).Build();
        var load = program.Instructions[1];
        Assert.Equal(((int)PseudoSource.Func, 5), (load.SrcField, load.Imm)); // the kernel takes slot 1 + imm + 1 = slot 7 (body)
        Assert.Equal(new ListingSymbol("body", 7 * 8), program.Symbols[1]);
        Assert.Equal(program.Instructions, Assembler.Assemble(program.ToString()).Instructions);
    }

    [Fact]
    public void Undefined_label_is_named_with_the_jump_that_uses_it()
    {
        var builder = new ProgramBuilder().JumpIf(R0 == 0, "out").Exit();
        var e = Assert.Throws<InvalidOperationException>(builder.Build);
        Assert.Contains("label 'out'", e.Message);
        Assert.Contains("instruction 0", e.Message);
        Assert.Contains("Label(\"out\")", e.Message);
    }

    [Fact]
    public void Duplicate_label_is_refused_where_it_is_placed_again()
    {
        var builder = new ProgramBuilder().Label("again").Exit();
        var e = Assert.Throws<ArgumentException>(() => builder.Label("again"));
        Assert.Contains("label 'again' is already placed at instruction 0", e.Message);
    }

    [Fact]
    public void Jump_beyond_16_bits_suggests_gotol_and_gotol_reaches()
    {
        var far = new ProgramBuilder().Goto("far");
        for (var i = 0; i < 40000; i++)
            far.Mov(R0, 0);
        far.Label("far").Exit();
        var e = Assert.Throws<InvalidOperationException>(far.Build);
        Assert.Contains("40000 instructions away", e.Message);
        Assert.Contains("gotol", e.Message);

        var ok = new ProgramBuilder().GotoLong("far");
        for (var i = 0; i < 40000; i++)
            ok.Mov(R0, 0);
        var program = ok.Label("far").Exit().Build();
        Assert.Equal(40000, program.Instructions[0].Imm);
        Assert.StartsWith("gotol +0x9c40", Disassembler.Format(program.Instructions[0]));
    }

    [Fact]
    public void Mixed_register_widths_are_refused_with_the_fix()
    {
        var b = new ProgramBuilder();
        Assert.Contains("write w2", Assert.Throws<ArgumentException>(() => b.Add(W1, R2)).Message);
        Assert.Contains("load it into r1", Assert.Throws<ArgumentException>(() => b.LoadMapFd(W1, "m")).Message);
        Assert.Contains("compares both as 64 bits", Assert.Throws<ArgumentException>(() => b.JumpIf(R1 == W2, "x")).Message);
        Assert.Contains("use r10", Assert.Throws<ArgumentException>(() => Mem.U32(W10, -4)).Message);
        Assert.Contains("only loads", Assert.Throws<ArgumentException>(() => b.Store(Mem.S8(R10, -1), 0)).Message);
        Assert.Contains("8 or 16", Assert.Throws<ArgumentOutOfRangeException>(() => b.MovSx(W1, W2, 32)).Message);
        Assert.Throws<ArgumentException>(() => b.Label(" "));
        Assert.Throws<ArgumentNullException>(() => b.LoadMapFd(R1, (object)null!));
    }

    [Fact]
    public void Conditions_choose_the_jump_operation_and_class()
    {
        Instruction Jump(Condition c) => Instruction.JumpIf(c, 0);
        Assert.Equal(0x1d, Jump(R1 == R2).Opcode);
        Assert.Equal(0x15, Jump(R1 == 0).Opcode);
        Assert.Equal(0x5e, Jump(W1 != W2).Opcode);
        Assert.Equal(0xc6, Jump(W1.Signed < -1).Opcode);
        Assert.Equal(0x7d, Jump(R1.Signed >= R2).Opcode);
        Assert.Equal(0x45, Jump(R1 & 1).Opcode);
        Assert.Equal(0xbd, Jump(R1 <= R2).Opcode);
    }
}
