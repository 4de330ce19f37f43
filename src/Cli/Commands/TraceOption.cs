using System.CommandLine;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>
/// --trace: every bpf(2) and rtnetlink request the command makes, one line each on standard error as it happens (the
/// command, its attributes decoded, the answer and its time), for watching how loading really works.
/// </summary>
internal static class TraceOption
{
    public static Option<bool> Create() => new("--trace")
    {
        Description = "Print every bpf(2) and netlink request on standard error as it is made: command, attributes, answer, time",
    };

    /// <summary>Starts printing when <paramref name="option"/> is given; dispose to stop. Null when it is not.</summary>
    public static IDisposable? Start(ParseResult parse, Option<bool> option)
    {
        if (!parse.GetValue(option))
            return null;
        var error = parse.InvocationConfiguration.Error;
        var gate = new Lock();
        return KernelTrace.Listen(request =>
        {
            lock (gate) // the demo makes requests from several threads
                error.WriteLine($"trace: {request}");
        });
    }
}
