using System.CommandLine;
using CpuMap.Managed.Cli.Commands;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>
/// Runs `cpumap COMMAND ...` in-process, capturing both outputs.
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
