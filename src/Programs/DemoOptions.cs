namespace CpuMap.Managed.Programs;

/// <summary>What <see cref="SoftwareRssDemo.Run"/> sets up and sends.</summary>
public sealed record DemoOptions
{
    /// <summary>The redirect and its CPUs, queues and remote program (pass or drop: both count what they deliver).</summary>
    public SoftwareRssOptions Rss { get; init; } = new() { Remote = SoftwareRssOptions.RemoteDrop };

    /// <summary>Frames to send through the redirect.</summary>
    public ulong Frames { get; init; } = 4_000_000;

    /// <summary>Distinct UDP flows (source ports) the frames are spread over; flow-hash needs many to spread.</summary>
    public int Flows { get; init; } = 64;

    /// <summary>How long to wait, after the last frame, for the remote CPUs to drain their queues.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Checks every option; the errors name the option, the cause and the fix.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Rss, nameof(Rss));
        Rss.Validate();
        if (Rss.Remote is not (SoftwareRssOptions.RemotePass or SoftwareRssOptions.RemoteDrop))
            throw new ArgumentException(
                $"The demo's remote program must be '{SoftwareRssOptions.RemotePass}' or '{SoftwareRssOptions.RemoteDrop}' (it counts what each CPU delivers), not '{Rss.Remote}'.",
                nameof(Rss));
        if (Frames is 0 or > 10_000_000_000)
            throw new ArgumentOutOfRangeException(nameof(Frames), Frames, "Send 1 to 10,000,000,000 frames.");
        if (Flows is < 1 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(Flows), Flows, "The frames are spread over 1 to 65535 UDP flows (one per source port).");
        if (Drain < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(Drain), Drain, "The drain wait cannot be negative.");
    }
}
