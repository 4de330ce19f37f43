using System.CommandLine;
using CpuMap.Managed.Cli.Commands;

// The `cpumap` tool. Each command lives in Commands/ and only parses, calls the library and prints:
// everything it does a library user can do from code.
var root = new RootCommand("cpumap: XDP CPU redirect (software RSS) with a CPUMAP, without libbpf.")
{
    new ProbeCommand(),
    new InspectCommand(),
    new LoadCommand(),
    new DemoCommand(),
    new AttachCommand(),
    new DetachCommand(),
    new StatusCommand(),
    new StatsCommand(),
};

return root.Parse(args).Invoke();
