using System.Diagnostics;
using CpuMap.Managed.Loader;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Maps;

namespace CpuMap.Managed.Programs.Tracing;

/// <summary>
/// The extended statistics of a CPUMAP redirect, from the kernel's xdp tracepoints, as xdp-bench shows them:
/// each <c>from→to</c> enqueue pair (xdp:xdp_cpumap_enqueue), each remote CPU's kernel thread
/// (xdp:xdp_cpumap_kthread), and the XDP program's redirect errors and exceptions (xdp:xdp_redirect_err,
/// xdp:xdp_exception). They hold for any program that redirects into the CPUMAP, this project's or a user's own:
/// nothing is counted by the program itself. Counting starts at <see cref="Attach"/> and ends at Dispose.
/// </summary>
public sealed class ExtendedStats : IDisposable
{
    private ExtendedStats(CpuMapEnqueueCounter enqueue, CpuMapKthreadCounter kthread, XdpErrorCounter? errors)
    {
        Enqueue = enqueue;
        Kthread = kthread;
        Errors = errors;
    }

    /// <summary>The xdp:xdp_cpumap_enqueue counter.</summary>
    public CpuMapEnqueueCounter Enqueue { get; }

    /// <summary>The xdp:xdp_cpumap_kthread counter.</summary>
    public CpuMapKthreadCounter Kthread { get; }

    /// <summary>The redirect error and exception counter, or null where the kernel exposes no BTF to tell programs apart.</summary>
    public XdpErrorCounter? Errors { get; }

    /// <summary>Loads and attaches the counters for <paramref name="cpuMap"/> and the XDP program <paramref name="xdpProgramId"/> that redirects into it.</summary>
    /// <param name="cpuMap">The CPUMAP whose enqueues and kernel threads count.</param>
    /// <param name="xdpProgramId">The redirecting XDP program, whose redirect errors and exceptions count (0: every program's).</param>
    /// <exception cref="BpfException">The kernel refused a tracepoint program or link (e.g. no raw tracepoint support).</exception>
    public static ExtendedStats Attach(BpfCpuMap cpuMap, uint xdpProgramId)
    {
        ArgumentNullException.ThrowIfNull(cpuMap);
        CpuMapEnqueueCounter? enqueue = null;
        CpuMapKthreadCounter? kthread = null;
        XdpErrorCounter? errors = null;
        try
        {
            enqueue = CpuMapEnqueueCounter.Load(cpuMap).Attach();
            kthread = CpuMapKthreadCounter.Load(cpuMap).Attach();
            try
            {
                errors = XdpErrorCounter.Load(xdpProgramId);
            }
            catch (BpfOperationException e) when (e.Operation == KernelBtf.Operation)
            {
                // No kernel BTF: which program a tracepoint reports cannot be told, so errors and exceptions show n/a
                // rather than every program's on the machine under this redirect's name.
            }
            errors?.Attach();
            return new ExtendedStats(enqueue, kthread, errors);
        }
        catch
        {
            errors?.Dispose();
            kthread?.Dispose();
            enqueue?.Dispose();
            throw;
        }
    }

    /// <summary>Reads every counter now.</summary>
    public ExtendedSnapshot Read()
    {
        // The kernel threads first: frames are queued before a thread takes them, so read in this order a snapshot
        // never shows a thread ahead of its queue, while traffic flows too.
        var kthread = Kthread.ReadAll();
        var timestamp = Stopwatch.GetTimestamp();
        return new(timestamp, Enqueue.ReadPairs(), kthread, Errors?.ReadAll(), Kthread.CountsRemoteActions);
    }

    /// <summary>Detaches and closes the counters.</summary>
    public void Dispose()
    {
        Errors?.Dispose();
        Kthread.Dispose();
        Enqueue.Dispose();
    }
}

/// <summary>The extended counters at one moment (since they were attached), indexed by CPU number.</summary>
/// <param name="Timestamp">When they were read, in <see cref="Stopwatch"/> ticks.</param>
/// <param name="Pairs"><c>Pairs[from][to]</c>: what CPU <c>from</c> flushed towards remote CPU <c>to</c>.</param>
/// <param name="Kthread"><c>Kthread[cpu]</c>: what remote CPU <c>cpu</c>'s kernel thread reported.</param>
/// <param name="Errors"><c>Errors[cpu]</c>: the redirect errors and exceptions on that CPU; null where not counted.</param>
/// <param name="CountsRemoteActions">Whether the remote program's verdicts are counted (Linux 5.10+).</param>
public sealed record ExtendedSnapshot(long Timestamp, IReadOnlyList<IReadOnlyList<EnqueueCounters>> Pairs, IReadOnlyList<KthreadCounters> Kthread,
    IReadOnlyList<XdpErrorCounters>? Errors, bool CountsRemoteActions)
{
    /// <summary>Every pair added up.</summary>
    public EnqueueCounters EnqueueTotal => Pairs.SelectMany(row => row).Aggregate(default(EnqueueCounters), (a, b) => a + b);

    /// <summary>Every kernel thread added up.</summary>
    public KthreadCounters KthreadTotal => Kthread.Aggregate(default(KthreadCounters), (a, b) => a + b);

    /// <summary>Every CPU's errors added up, or null where not counted.</summary>
    public XdpErrorCounters? ErrorsTotal => Errors?.Aggregate(default(XdpErrorCounters), (a, b) => a + b);

    /// <summary>What remote CPU <paramref name="to"/> was sent, from every CPU.</summary>
    public EnqueueCounters EnqueuedTo(int to) => Pairs.Aggregate(default(EnqueueCounters), (sum, row) => sum + row[to]);

    /// <summary>What was counted from <paramref name="earlier"/> to this snapshot, with the time between them.</summary>
    public ExtendedInterval Since(ExtendedSnapshot earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        if (earlier.Timestamp > Timestamp)
            throw new ArgumentException("The earlier snapshot was taken after this one; call later.Since(earlier).", nameof(earlier));
        if (earlier.Pairs.Count != Pairs.Count || (earlier.Errors is null) != (Errors is null))
            throw new ArgumentException("The earlier snapshot is of a different set of counters; compare snapshots of the same ExtendedStats.", nameof(earlier));
        return new ExtendedInterval(Stopwatch.GetElapsedTime(earlier.Timestamp, Timestamp), new ExtendedSnapshot(Timestamp,
            Pairs.Select((row, from) => (IReadOnlyList<EnqueueCounters>)row.Select((c, to) => c - earlier.Pairs[from][to]).ToArray()).ToArray(),
            Kthread.Select((c, cpu) => c - earlier.Kthread[cpu]).ToArray(),
            Errors?.Select((c, cpu) => c - earlier.Errors![cpu]).ToArray(), CountsRemoteActions));
    }
}

/// <summary>What the extended counters counted between two <see cref="ExtendedSnapshot"/>s.</summary>
/// <param name="Duration">The time between the snapshots.</param>
/// <param name="Counts">The differences, counter by counter.</param>
public sealed record ExtendedInterval(TimeSpan Duration, ExtendedSnapshot Counts)
{
    /// <summary><paramref name="count"/> per second over <see cref="Duration"/> (0 for an empty interval).</summary>
    public double PerSecond(ulong count) => Duration > TimeSpan.Zero ? count / Duration.TotalSeconds : 0;
}
