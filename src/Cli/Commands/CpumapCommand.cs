using System.CommandLine;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>
/// The `cpumap` command line: every command, in one place for Program.cs and for tests that run the tool
/// in-process. Each command only parses, calls the library and prints: a library user can do it from code.
/// </summary>
internal static class CpumapCommand
{
    public static RootCommand Create() => new("cpumap: XDP CPU redirect (software RSS) with a CPUMAP, without libbpf.")
    {
        new DemoCommand(),
        new AttachCommand(),
        new DetachCommand(),
        new StatusCommand(),
        new StatsCommand(),
        new RssCommand(),
        new ProbeCommand(),
        new InspectCommand(),
        new LoadCommand(),
    };
}
