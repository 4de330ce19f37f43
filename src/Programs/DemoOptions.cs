using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;
using CpuMap.Managed.Programs.Traffic;
namespace CpuMap.Managed.Programs;

/// <summary>What <see cref="SoftwareRssDemo.Run"/> sets up and sends.</summary>
public sealed record DemoOptions
{
    /// <summary>
    /// The redirect and its CPUs, queues and remote program: <see cref="RemoteAction.Pass"/>, <see cref="RemoteAction.Drop"/>
    /// or <see cref="RedirectOut"/>, which all count what they deliver.
    /// </summary>
    public SoftwareRssOptions Rss { get; init; } = new() { Remote = RemoteAction.Drop };

    /// <summary>The remote action redirect as the demo has it: out of a veth pair of its own (<see cref="SoftwareRssDemo.RedirectDeviceName"/>).</summary>
    public static RemoteAction.Redirect RedirectOut { get; } = new(SoftwareRssDemo.RedirectDeviceName);

    /// <summary>Frames to send through the redirect.</summary>
    public ulong Frames { get; init; } = 4_000_000;

    /// <summary>Distinct UDP flows (source ports) the frames are spread over; flow-hash needs many to spread.</summary>
    public int Flows { get; init; } = 64;

    /// <summary>How the frames are shared among the flows: evenly, or by Zipf's law (a few heavy flows).</summary>
    public FlowSkew Skew { get; init; } = FlowSkew.Uniform;

    /// <summary>
    /// With <see cref="RssMode.FlowHash"/>: send in <see cref="Rounds"/> rounds and run the <see cref="BucketRebalancer"/>
    /// between them, so the result shows the imbalance before (first round) and after (last round).
    /// </summary>
    public bool Rebalance { get; init; }

    /// <summary>
    /// Rounds to send the frames in, each the same frames (<see cref="Frames"/> is rounded down to a multiple of the rounds);
    /// the rebalancer runs between rounds.
    /// </summary>
    public int Rounds { get; init; } = 1;

    /// <summary>How long to wait, after the last frame, for the remote CPUs to drain their queues.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Checks every option; the errors name the option, the cause and the fix.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Rss, nameof(Rss));
        if (Rss.Remote is RemoteAction.UserProgram)
            throw new ArgumentException(
                $"The demo's remote program must be RemoteAction.Pass, Drop or DemoOptions.RedirectOut (each counts what each CPU delivers), not the user's own {Rss.Remote}.",
                nameof(Rss));
        if (Rss.Remote is RemoteAction.Redirect { Device: var device } && device != SoftwareRssDemo.RedirectDeviceName)
            throw new ArgumentException(
                $"The demo redirects out of a veth pair of its own ({SoftwareRssDemo.RedirectDeviceName}), not '{device}': use DemoOptions.RedirectOut.", nameof(Rss));
        Rss.Validate();
        if (Frames is 0 or > 10_000_000_000)
            throw new ArgumentOutOfRangeException(nameof(Frames), Frames, "Send 1 to 10,000,000,000 frames.");
        if (Flows is < 1 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(Flows), Flows, "The frames are spread over 1 to 65535 UDP flows (one per source port).");
        ArgumentNullException.ThrowIfNull(Skew, nameof(Skew));
        if (Rounds is < 1 or > 100)
            throw new ArgumentOutOfRangeException(nameof(Rounds), Rounds, "Send in 1 to 100 rounds.");
        if (Rebalance && Rss.Mode != RssMode.FlowHash)
            throw new ArgumentException($"Rebalancing moves flow-hash's buckets; {Rss.Mode.Name()} has none. Use RssMode.FlowHash.", nameof(Rebalance));
        if (Rebalance && Rounds < 2)
            throw new ArgumentOutOfRangeException(nameof(Rounds), Rounds, "Rebalancing runs between rounds: send in at least 2 rounds.");
        if (Frames < (ulong)Rounds)
            throw new ArgumentOutOfRangeException(nameof(Frames), Frames, $"{Frames} frames cannot fill {Rounds} rounds: send at least one frame per round.");
        if (Drain < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(Drain), Drain, "The drain wait cannot be negative.");
    }
}
