using System.Diagnostics;

namespace CpuMap.Managed.Programs;

/// <summary>
/// Every counter of a running redirect at one moment, per CPU: what the redirect program counted on
/// the CPUs frames came in on, and what the remote programs counted on the CPUs frames were delivered
/// to. Counters only grow, so rates are differences between two snapshots: take one every interval and
/// show <see cref="Since"/> of the one before, as a live table does.
/// </summary>
public sealed class RedirectSnapshot
{
    private RedirectSnapshot(long timestamp, RedirectCounters[] redirect, ulong[]? delivered)
    {
        Timestamp = timestamp;
        Redirect = redirect;
        Delivered = delivered;
    }

    /// <summary>When the counters were read, in <see cref="Stopwatch"/> ticks (monotonic).</summary>
    public long Timestamp { get; }

    /// <summary>The redirect program's counters, indexed by the CPU that ran it (<c>Redirect[cpu]</c>).</summary>
    public IReadOnlyList<RedirectCounters> Redirect { get; }

    /// <summary>Frames the remote program counted, indexed by the CPU they were delivered to; null without a counting remote program.</summary>
    public IReadOnlyList<ulong>? Delivered { get; }

    /// <summary>The redirect counters of all CPUs added up.</summary>
    public RedirectCounters RedirectTotal => Redirect.Aggregate(default(RedirectCounters), (a, b) => a + b);

    /// <summary>Frames delivered on all CPUs, or null without a counting remote program.</summary>
    public ulong? DeliveredTotal => Delivered?.Aggregate(0ul, (a, b) => a + b);

    /// <summary>Reads the counters of <paramref name="redirect"/> (loaded with counters) and, when given, of <paramref name="remote"/>.</summary>
    /// <param name="redirect">A redirect program loaded with counters: a <see cref="FlowHashRedirect"/>, or a
    /// <see cref="RoundRobinRedirect"/> loaded with countStats.</param>
    /// <param name="remote">The counting program in the CPUMAP entries, or null.</param>
    public static RedirectSnapshot Take(CpuRedirect redirect, RemoteCpuCounter? remote = null)
    {
        ArgumentNullException.ThrowIfNull(redirect);
        return new RedirectSnapshot(Stopwatch.GetTimestamp(), redirect.ReadStats(), remote?.ReadCounts());
    }

    /// <summary>What was counted from <paramref name="earlier"/> to this snapshot, per CPU, with the time between them.</summary>
    /// <param name="earlier">A snapshot of the same redirect (and remote counter), taken before this one.</param>
    public RedirectInterval Since(RedirectSnapshot earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        if (earlier.Timestamp > Timestamp)
            throw new ArgumentException("The earlier snapshot was taken after this one; call later.Since(earlier).", nameof(earlier));
        if (earlier.Redirect.Count != Redirect.Count || (earlier.Delivered is null) != (Delivered is null))
            throw new ArgumentException(
                "The earlier snapshot is of a different set of counters (with or without a remote counter); compare snapshots taken with the same arguments.",
                nameof(earlier));
        var redirect = new RedirectCounters[Redirect.Count];
        for (var cpu = 0; cpu < redirect.Length; cpu++)
            redirect[cpu] = Redirect[cpu] - earlier.Redirect[cpu];
        var delivered = Delivered is null ? null : Enumerable.Range(0, Delivered.Count).Select(cpu => Delivered[cpu] - earlier.Delivered![cpu]).ToArray();
        return new RedirectInterval(Stopwatch.GetElapsedTime(earlier.Timestamp, Timestamp), redirect, delivered);
    }
}

/// <summary>What a redirect counted between two <see cref="RedirectSnapshot"/>s, per CPU.</summary>
/// <param name="Duration">The time between the snapshots.</param>
/// <param name="Redirect">The redirect program's counts, indexed by the CPU that ran it.</param>
/// <param name="Delivered">Frames delivered, indexed by remote CPU; null without a counting remote program.</param>
public sealed record RedirectInterval(TimeSpan Duration, IReadOnlyList<RedirectCounters> Redirect, IReadOnlyList<ulong>? Delivered)
{
    /// <summary><paramref name="count"/> per second over <see cref="Duration"/> (0 for an empty interval).</summary>
    public double PerSecond(ulong count) => Duration > TimeSpan.Zero ? count / Duration.TotalSeconds : 0;
}
