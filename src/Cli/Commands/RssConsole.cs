using System.CommandLine;
using System.Runtime.InteropServices;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>
/// What the software-RSS commands share around their work: Ctrl-C and SIGTERM turned into a
/// cancellation (so `using` blocks undo what was made instead of the process dying mid-way), and
/// every error the library explains turned into "cpumap COMMAND: message" on standard error and exit code 1.
/// </summary>
internal static class RssConsole
{
    /// <summary>Runs <paramref name="body"/> with a token that SIGINT or SIGTERM cancels.</summary>
    public static int Run(ParseResult parse, string command, Func<CancellationToken, int> body)
    {
        using var cancel = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // no default exit: the command ends itself, disposing in order
            cancel.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            return body(cancel.Token);
        }
        // Every refusal of the kernel, the machine or an input file is a BpfOperationException; besides it, the options
        // the library itself checks (ArgumentException) and the files the user names (pin folders, --textfile).
        catch (Exception e) when (e is BpfOperationException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            return ObjectConsole.Fail(parse, command, ObjectConsole.Sentence(e));
        }
    }

    /// <summary>A count per second, as xdp-bench prints it.</summary>
    public static string Rate(double perSecond) => perSecond switch
    {
        >= 1e6 => $"{perSecond / 1e6:F2} M",
        >= 1e3 => $"{perSecond / 1e3:F1} k",
        _ => $"{perSecond:F0}",
    };
}
