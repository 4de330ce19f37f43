using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Syscalls;
using System.Diagnostics;
using CpuMap.Managed.Programs.Bytecode;
using CpuMap.Managed.Programs.Remote;
using CpuMap.Managed.Programs.Tracing;

namespace CpuMap.Managed.Programs.Redirect;

/// <summary>
/// Every counter of a running redirect at one moment, per CPU: what the redirect program counted on
/// the CPUs frames came in on, and what the remote programs counted on the CPUs frames were delivered
/// to. Counters only grow, so rates are differences between two snapshots: take one every interval and
/// show <see cref="Since"/> of the one before, as a live table does.
/// </summary>
public sealed class RedirectSnapshot
{
    private RedirectSnapshot(long timestamp, IReadOnlyList<RedirectCounters> redirect, IReadOnlyList<ulong>? delivered, IReadOnlyList<EnqueueCounters>? enqueue, bool redirectCounted = true)
    {
        Timestamp = timestamp;
        RedirectCounted = redirectCounted;
        Redirect = redirect;
        Delivered = delivered;
        Enqueue = enqueue;
    }

    /// <summary>When the counters were read, in <see cref="Stopwatch"/> ticks (monotonic).</summary>
    public long Timestamp { get; }

    /// <summary>
    /// Whether <see cref="Redirect"/> holds counts: false for a user's own redirect program, which counts nothing of this
    /// project's (its <see cref="Redirect"/> is then all zeros; <see cref="Enqueue"/> is what the kernel saw).
    /// </summary>
    public bool RedirectCounted { get; }

    /// <summary>The redirect program's counters, indexed by the CPU that ran it (<c>Redirect[cpu]</c>).</summary>
    public IReadOnlyList<RedirectCounters> Redirect { get; }

    /// <summary>Frames the remote program counted, indexed by the CPU they were delivered to; null without a counting remote program.</summary>
    public IReadOnlyList<ulong>? Delivered { get; }

    /// <summary>Frames enqueued and dropped at full queues, indexed by remote CPU; null without an enqueue counter.</summary>
    public IReadOnlyList<EnqueueCounters>? Enqueue { get; }

    /// <summary>The redirect counters of all CPUs added up.</summary>
    public RedirectCounters RedirectTotal => Redirect.Aggregate(default(RedirectCounters), (a, b) => a + b);

    /// <summary>Frames delivered on all CPUs, or null without a counting remote program.</summary>
    public ulong? DeliveredTotal => Delivered?.Aggregate(0ul, (a, b) => a + b);

    /// <summary>Reads the counters of <paramref name="redirect"/> (loaded with counters) and, when given, of <paramref name="remote"/>.</summary>
    /// <param name="redirect">A redirect program loaded with counters: a <see cref="FlowHashRedirect"/>, or a
    /// <see cref="RoundRobinRedirect"/> loaded with countStats.</param>
    /// <param name="remote">The counting program in the CPUMAP entries, or null.</param>
    /// <param name="enqueue">The xdp:xdp_cpumap_enqueue counter attached for the redirect's CPUMAP, or null.</param>
    public static RedirectSnapshot Take(CpuRedirect redirect, RemoteCpuCounter? remote = null, CpuMapEnqueueCounter? enqueue = null)
    {
        ArgumentNullException.ThrowIfNull(redirect);
        return new RedirectSnapshot(Stopwatch.GetTimestamp(), redirect.ReadStats(), remote?.ReadCounts(), enqueue?.ReadAll());
    }

    /// <summary>
    /// Reads the counters from the maps themselves, e.g. maps pinned by another process: a
    /// <paramref name="redirectStats"/> map (<see cref="RedirectStats.MapName"/>) and, when given, a
    /// <paramref name="remotePackets"/> map (<see cref="RemoteCpuCountProgram.RemotePacketsMap"/>: PERCPU_ARRAY of one __u64).
    /// </summary>
    /// <remarks>Without <paramref name="redirectStats"/> (a user's own program), <see cref="RedirectCounted"/> is false.</remarks>
    public static RedirectSnapshot Read(MapFd? redirectStats, MapFd? remotePackets = null, CpuMapEnqueueCounter? enqueue = null)
    {
        if (remotePackets is not null && (remotePackets.Type != BpfMapType.PercpuArray || remotePackets.ValueSize != sizeof(ulong)))
            throw new ArgumentException(
                $"{remotePackets} is not a remote packet counter: it is a {remotePackets.Type} with {remotePackets.ValueSize}-byte values, where " +
                $"'{RemoteCpuCountProgram.RemotePacketsMap}' is a PercpuArray of 8-byte values. Pass RemoteCpuCounter.RemotePackets or its pinned map.",
                nameof(remotePackets));
        return new RedirectSnapshot(Stopwatch.GetTimestamp(),
            redirectStats is null ? new RedirectCounters[CpuList.NrCpuIds] : RedirectStats.Read(redirectStats),
            remotePackets is null ? null : PerCpuArray<ulong>.Open(remotePackets).Get(0), enqueue?.ReadAll(), redirectCounted: redirectStats is not null);
    }

    /// <summary>What was counted from <paramref name="earlier"/> to this snapshot, per CPU, with the time between them.</summary>
    /// <param name="earlier">A snapshot of the same redirect (and remote counter), taken before this one.</param>
    public RedirectInterval Since(RedirectSnapshot earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        if (earlier.Timestamp > Timestamp)
            throw new ArgumentException("The earlier snapshot was taken after this one; call later.Since(earlier).", nameof(earlier));
        if (earlier.Redirect.Count != Redirect.Count || (earlier.Delivered is null) != (Delivered is null) || (earlier.Enqueue is null) != (Enqueue is null))
            throw new ArgumentException(
                "The earlier snapshot is of a different set of counters (with or without a remote counter); compare snapshots taken with the same arguments.",
                nameof(earlier));
        var redirect = new RedirectCounters[Redirect.Count];
        for (var cpu = 0; cpu < redirect.Length; cpu++)
            redirect[cpu] = Redirect[cpu] - earlier.Redirect[cpu];
        var delivered = Delivered is null ? null : Enumerable.Range(0, Delivered.Count).Select(cpu => Delivered[cpu] - earlier.Delivered![cpu]).ToArray();
        var enqueue = Enqueue is null ? null : Enumerable.Range(0, Enqueue.Count)
            .Select(cpu => Enqueue[cpu] - earlier.Enqueue![cpu]).ToArray();
        return new RedirectInterval(Stopwatch.GetElapsedTime(earlier.Timestamp, Timestamp), redirect, delivered, enqueue, RedirectCounted);
    }
}

/// <summary>What a redirect counted between two <see cref="RedirectSnapshot"/>s, per CPU.</summary>
/// <param name="Duration">The time between the snapshots.</param>
/// <param name="Redirect">The redirect program's counts, indexed by the CPU that ran it.</param>
/// <param name="Delivered">Frames delivered, indexed by remote CPU; null without a counting remote program.</param>
/// <param name="Enqueue">Frames enqueued and dropped at full queues, indexed by remote CPU; null without an enqueue counter.</param>
/// <param name="RedirectCounted">False for a user's own redirect program: <paramref name="Redirect"/> is then all zeros.</param>
public sealed record RedirectInterval(TimeSpan Duration, IReadOnlyList<RedirectCounters> Redirect, IReadOnlyList<ulong>? Delivered,
    IReadOnlyList<EnqueueCounters>? Enqueue, bool RedirectCounted = true)
{
    /// <summary><paramref name="count"/> per second over <see cref="Duration"/> (0 for an empty interval).</summary>
    public double PerSecond(ulong count) => Duration > TimeSpan.Zero ? count / Duration.TotalSeconds : 0;
}
