using System.CommandLine;

namespace BpfAsm.Cli;

/// <summary><c>bpfasm asm FILE.s -o FILE.bin</c>: llvm-objdump's text (or hand-written llvm BPF syntax) to raw bytes.</summary>
internal static class AssembleCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "assembly text: a listing from bpfasm dis or llvm-objdump -d[r], or hand-written llvm BPF syntax" };
        var output = new Option<string>("--output", "-o") { Description = "where to write the raw instruction bytes", Required = true };
        var command = new Command("asm", "Assemble llvm BPF assembly text into raw instruction bytes") { file, output };
        command.SetAction(result =>
        {
            var path = result.GetValue(file)!;
            if (!BpfAsmCommand.TryRead(result, path, File.ReadAllText, out var text, out var exitCode))
                return exitCode;
            BpfProgram program;
            try
            {
                program = Assembler.Assemble(text, path);
            }
            catch (AssemblyException e)
            {
                // Already "file:line:column: error: ...", as compilers print it.
                result.InvocationConfiguration.Error.WriteLine(e.Message);
                return BpfAsmCommand.InputError;
            }
            var target = result.GetValue(output)!;
            try
            {
                File.WriteAllBytes(target, program.Encode());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return BpfAsmCommand.Fail(result, $"cannot write '{target}': {e.Message}");
            }
            // Raw bytes have nowhere to keep relocations: say which instructions still need a loader.
            foreach (var r in program.References)
                result.InvocationConfiguration.Error.WriteLine(
                    $"bpfasm: note: instruction {r.Slot} refers to '{r.Name}' ({r.RelocationType}); the raw output leaves it for a loader to patch");
            result.InvocationConfiguration.Output.WriteLine($"{target}: {program.SlotCount} instructions ({program.SlotCount * Instruction.SlotSize} bytes)");
            return 0;
        });
        return command;
    }
}
