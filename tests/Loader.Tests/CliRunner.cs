using System.CommandLine;
using CpuMap.Managed.Cli.Commands;

namespace CpuMap.Managed.Loader.Tests;

/// <summary>Runs `cpumap inspect` / `cpumap load` in-process, capturing standard output and error.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var root = new RootCommand("cpumap") { new InspectCommand(), new LoadCommand() };
        var output = new StringWriter();
        var error = new StringWriter();
        var code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
