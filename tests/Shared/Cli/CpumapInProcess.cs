using System.CommandLine;
using CpuMap.Managed.Cli.Commands;

namespace CpuMap.Managed.Testing;

/// <summary>
/// Runs `cpumap COMMAND ...` in-process, capturing both outputs.
/// Compiled only into the test projects that reference src/Cli (not matched by tests/Shared/*.cs).
/// </summary>
internal static class CpumapInProcess
{
    public static (int Exit, string Stdout, string Stderr) Invoke(params string[] args)
    {
        var root = CpumapCommand.Create();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
