using System.CommandLine;
using CpuMap.Managed.Cli.Commands;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>Runs `cpumap COMMAND ...` in-process, as Program.cs builds it, capturing both outputs.</summary>
internal static class Cli
{
    public static (int Exit, string Stdout, string Stderr) Invoke(params string[] args)
    {
        var root = new RootCommand
        {
            new DemoCommand(), new AttachCommand(), new DetachCommand(), new StatusCommand(), new StatsCommand(),
        };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
