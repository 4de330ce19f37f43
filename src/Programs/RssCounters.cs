using System.Diagnostics;

namespace CpuMap.Managed.Programs;

/// <summary>
/// The counters of a software-RSS redirect at one moment, per CPU, read from its maps (whether this
/// process made them or found them on a device): what the redirect program counted where frames came
/// in, and what the remote counting program counted where they were delivered.
/// </summary>
/// <param name="Timestamp">When they were read, in <see cref="Stopwatch"/> ticks.</param>
/// <param name="Redirect">The redirect program's counters, indexed by the CPU that ran it.</param>
/// <param name="Delivered">Frames delivered, indexed by remote CPU; null when the remote program counts nothing.</param>
/// <param name="Enqueue">Frames enqueued and dropped at full queues, indexed by remote CPU; null without an enqueue counter.</param>
public sealed record RssCounters(long Timestamp, IReadOnlyList<RedirectCounters> Redirect, IReadOnlyList<ulong>? Delivered,
    IReadOnlyList<EnqueueCounters>? Enqueue = null)
{
    /// <summary>The redirect counters of all CPUs added up.</summary>
    public RedirectCounters RedirectTotal => Redirect.Aggregate(default(RedirectCounters), (a, b) => a + b);

    /// <summary>Frames delivered on all CPUs, or null without a counting remote program.</summary>
    public ulong? DeliveredTotal => Delivered?.Aggregate(0ul, (a, b) => a + b);

    /// <summary>
    /// Reads <paramref name="redirectStats"/> (a redirect_stats map), <paramref name="remotePackets"/> (a
    /// remote_packets map, or null) and <paramref name="enqueue"/> (or null).
    /// </summary>
    public static RssCounters Read(Syscalls.MapFd redirectStats, Syscalls.MapFd? remotePackets, CpuMapEnqueueCounter? enqueue = null) =>
        new(Stopwatch.GetTimestamp(), RedirectStats.Read(redirectStats), remotePackets is null ? null : PerCpuArray.Read(remotePackets, 0), enqueue?.ReadAll());

    /// <summary>What was counted from <paramref name="earlier"/> to these counters, per CPU.</summary>
    public RedirectInterval Since(RssCounters earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        if (earlier.Redirect.Count != Redirect.Count || (earlier.Delivered is null) != (Delivered is null) || (earlier.Enqueue is null) != (Enqueue is null))
            throw new ArgumentException("The earlier counters are of a different redirect; compare counters read from the same maps.", nameof(earlier));
        var redirect = Redirect.Select((now, cpu) => now - earlier.Redirect[cpu]).ToArray();
        var delivered = Delivered?.Select((now, cpu) => now - earlier.Delivered![cpu]).ToArray();
        var enqueue = Enqueue?.Select((now, cpu) => new EnqueueCounters(now.Processed - earlier.Enqueue![cpu].Processed, now.Drops - earlier.Enqueue[cpu].Drops)).ToArray();
        return new RedirectInterval(Stopwatch.GetElapsedTime(earlier.Timestamp, Timestamp), redirect, delivered, enqueue);
    }
}
