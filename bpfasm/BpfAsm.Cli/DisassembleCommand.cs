using System.CommandLine;

namespace BpfAsm.Cli;

/// <summary><c>bpfasm dis --raw FILE.bin</c>: the listing of raw instruction bytes, as llvm-objdump prints it.</summary>
internal static class DisassembleCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "the instructions: raw bytes in the kernel's 8-byte layout (with --raw)" };
        var raw = new Option<bool>("--raw") { Description = "FILE holds raw instruction bytes (e.g. from llvm-objcopy -O binary --only-section=xdp prog.o prog.bin)" };
        var alu32 = new Option<bool>("--alu32") { Description = "print w registers for 32-bit loads, stores and atomics (llvm-objdump --mattr=+alu32)" };
        var noRaw = new Option<bool>("--no-show-raw-insn") { Description = "leave out each instruction's bytes" };
        var lossless = new Option<bool>("--lossless") { Description = "print the encodings llvm's text cannot tell apart (subprogram and kfunc calls...) so 'bpfasm asm' restores every bit" };
        var command = new Command("dis", "Disassemble eBPF instructions into llvm-objdump's text") { file, raw, alu32, noRaw, lossless };
        command.SetAction(result =>
        {
            var path = result.GetValue(file)!;
            if (!result.GetValue(raw))
                return BpfAsmCommand.Fail(result,
                    $"reading ELF objects is not available in this build; pass --raw with a section's bytes, e.g. llvm-objcopy -O binary --only-section=xdp {path} prog.bin && bpfasm dis --raw prog.bin");
            if (!BpfAsmCommand.TryRead(result, path, File.ReadAllBytes, out var bytes, out var exitCode))
                return exitCode;
            if (bytes.Length == 0)
                return BpfAsmCommand.Fail(result, $"'{path}' is empty: there are no instructions to disassemble");
            try
            {
                var options = new DisassemblerOptions
                {
                    Alu32 = result.GetValue(alu32),
                    ShowRawInstructions = !result.GetValue(noRaw),
                    Lossless = result.GetValue(lossless),
                };
                result.InvocationConfiguration.Output.Write(Disassembler.Disassemble(bytes, options));
                return 0;
            }
            catch (InvalidInstructionException e)
            {
                return BpfAsmCommand.Fail(result, $"{path}: {e.Message}");
            }
        });
        return command;
    }
}
