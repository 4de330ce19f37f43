using System.CommandLine;
using CpuMap.Managed.Elf;

namespace BpfAsm.Cli;

/// <summary><c>bpfasm dis --raw FILE.bin</c>: the listing of raw instruction bytes, as llvm-objdump prints it.</summary>
internal static class DisassembleCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "a BPF ELF object (clang -target bpf -c), or raw instruction bytes with --raw" };
        var raw = new Option<bool>("--raw") { Description = "FILE holds raw instruction bytes in the kernel's 8-byte layout (e.g. from llvm-objcopy -O binary --only-section=xdp prog.o prog.bin)" };
        var section = new Option<string?>("--section", "-j") { Description = "only this program section of the object (e.g. xdp, .text)" };
        var reloc = new Option<bool>("--reloc", "-r") { Description = "show each relocation under the instruction it patches (llvm-objdump -r)" };
        var alu32 = new Option<bool>("--alu32") { Description = "print w registers for 32-bit loads, stores and atomics (llvm-objdump --mattr=+alu32)" };
        var noRaw = new Option<bool>("--no-show-raw-insn") { Description = "leave out each instruction's bytes" };
        var lossless = new Option<bool>("--lossless") { Description = "print the encodings llvm's text cannot tell apart (subprogram and kfunc calls...) so 'bpfasm asm' restores every bit" };
        var command = new Command("dis", "Disassemble eBPF instructions into llvm-objdump's text") { file, raw, section, reloc, alu32, noRaw, lossless };
        command.SetAction(result =>
        {
            var path = result.GetValue(file)!;
            var options = new DisassemblerOptions
            {
                Alu32 = result.GetValue(alu32),
                ShowRawInstructions = !result.GetValue(noRaw),
                ShowRelocations = result.GetValue(reloc),
                Lossless = result.GetValue(lossless),
            };
            if (!result.GetValue(raw))
                return DisassembleObject(result, path, result.GetValue(section), options);
            if (result.GetValue(section) is not null)
                return BpfAsmCommand.Fail(result, "--section picks a section of an ELF object; raw bytes (--raw) have none: leave one of them out");
            if (!BpfAsmCommand.TryRead(result, path, File.ReadAllBytes, out var bytes, out var exitCode))
                return exitCode;
            if (bytes.Length == 0)
                return BpfAsmCommand.Fail(result, $"'{path}' is empty: there are no instructions to disassemble");
            try
            {
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

    private static int DisassembleObject(ParseResult result, string path, string? section, DisassemblerOptions options)
    {
        if (!File.Exists(path))
            return BpfAsmCommand.Fail(result, $"cannot read '{path}': no such file");
        try
        {
            var obj = BpfObject.Load(path);
            result.InvocationConfiguration.Output.Write(ObjectDisassembly.Disassemble(obj, path, section, options));
            return 0;
        }
        catch (BpfObjectException e)
        {
            return BpfAsmCommand.Fail(result, $"{e.Message} (raw instruction bytes need --raw)");
        }
        catch (Exception e) when (e is InvalidInstructionException or ArgumentException)
        {
            return BpfAsmCommand.Fail(result, $"{path}: {e.Message}");
        }
    }
}
