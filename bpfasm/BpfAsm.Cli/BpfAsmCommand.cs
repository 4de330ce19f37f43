using System.CommandLine;

namespace BpfAsm.Cli;

/// <summary>
/// The <c>bpfasm</c> command line: a thin front over the BpfAsm library (everything it does, a library user
/// can do with <see cref="Disassembler"/> and <see cref="Assembler"/>). One file per subcommand; objects are read by src/Elf.
/// </summary>
public static class BpfAsmCommand
{
    /// <summary>Exit code for input the tool cannot use (missing file, bad text, bad bytes).</summary>
    public const int InputError = 1;

    public static RootCommand Create()
    {
        var root = new RootCommand("bpfasm: assemble and disassemble eBPF in llvm-objdump's text");
        root.Subcommands.Add(DisassembleCommand.Create());
        root.Subcommands.Add(AssembleCommand.Create());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>, writing to the given streams; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error) =>
        Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });

    /// <summary>Reports an error the way compilers do: <c>bpfasm: error: ...</c>.</summary>
    internal static int Fail(ParseResult result, string message)
    {
        result.InvocationConfiguration.Error.WriteLine($"bpfasm: error: {message}");
        return InputError;
    }

    /// <summary>Reads a whole input file, or explains why it cannot.</summary>
    internal static bool TryRead<T>(ParseResult result, string path, Func<string, T> read, out T value, out int exitCode)
    {
        try
        {
            value = read(path);
            exitCode = 0;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            value = default!;
            exitCode = Fail(result, e switch
            {
                FileNotFoundException or DirectoryNotFoundException => $"cannot read '{path}': no such file",
                UnauthorizedAccessException => $"cannot read '{path}': permission denied",
                _ => $"cannot read '{path}': {e.Message}",
            });
            return false;
        }
    }
}
