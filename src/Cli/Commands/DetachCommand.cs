using System.CommandLine;
using CpuMap.Managed.Programs;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>
/// <c>cpumap detach --dev IF [--pin DIR]</c>: removes cpumap's redirect from IF (<see cref="SoftwareRssDetach"/>):
/// a pinned link is detached and its pins removed; a netlink attachment is removed. Another tool's
/// XDP program is left alone (exit code 1, saying whose it is); nothing attached is not an error.
/// </summary>
internal sealed class DetachCommand : Command
{
    public Option<string> Dev { get; } = RssOptions.Dev(required: true);

    /// <summary>--pin DIR: where attach pinned it (found on the BPF filesystem when not given).</summary>
    public Option<string?> Pin { get; } = new("--pin")
    {
        Description = "The directory given to 'cpumap attach --pin' (default: found by searching the BPF filesystem)",
        HelpName = "DIR",
    };

    public DetachCommand() : base("detach", "Detach cpumap's redirect from a device and remove its pins (needs CAP_SYS_ADMIN; CAP_NET_ADMIN for a netlink attachment)")
    {
        Options.Add(Dev);
        Options.Add(Pin);
        SetAction(parse => RssConsole.Run(parse, "detach", _ =>
        {
            var device = parse.GetValue(Dev)!;
            var outcome = SoftwareRssDetach.Detach(device, parse.GetValue(Pin));
            parse.InvocationConfiguration.Output.WriteLine(outcome switch
            {
                DetachOutcome.NothingAttached => $"{device} has no XDP program: nothing to detach",
                DetachOutcome.PinnedLinkDetached => $"detached the pinned redirect from {device} and removed its pins",
                _ => $"detached the redirect from {device}",
            });
            return 0;
        }));
    }
}
