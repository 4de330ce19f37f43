using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Tracing;
using CpuMap.Managed.Programs.Traffic;
namespace CpuMap.Managed.Programs;

/// <summary>How far a demo run has come: frames sent so far of the total.</summary>
public readonly record struct DemoProgress(ulong Sent, ulong Total);

/// <summary>One CPU's line of the demo's table.</summary>
/// <param name="Cpu">The CPU number.</param>
/// <param name="Received">Frames the redirect program ran on, on this CPU (where frames came in).</param>
/// <param name="Redirected">Of those, frames it redirected.</param>
/// <param name="Errors">Of those, frames it could not redirect (XDP_ABORTED).</param>
/// <param name="Delivered">Frames the remote program received on this CPU (where they went).</param>
/// <param name="Dropped">Of the received, frames the mode dropped on purpose (l4-filter's UDP to port 9, touch's 802.3 frames).</param>
public sealed record DemoCpuRow(int Cpu, ulong Received, ulong Redirected, ulong Errors, ulong Delivered, ulong Dropped = 0);

/// <summary>One round of a demo sent in rounds: the frames sent to each CPU, and the buckets the rebalancer moved after it.</summary>
/// <param name="Round">1, 2, ...</param>
/// <param name="Load">
/// Frames sent to each CPU of the redirect (order of <see cref="DemoResult.Cpus"/>): what the kernel enqueued or dropped at its
/// queue (xdp:xdp_cpumap_enqueue), so a CPU too slow to deliver everything still shows what it was given; where that
/// tracepoint cannot be attached, what it delivered.
/// </param>
/// <param name="Moves">Buckets moved after this round (none after the last, or without rebalancing).</param>
public sealed record DemoRound(int Round, IReadOnlyList<ulong> Load, IReadOnlyList<BucketMove> Moves)
{
    /// <summary>This round's <see cref="LoadImbalance"/>.</summary>
    public double Imbalance => LoadImbalance.Of([.. Load]);
}

/// <summary>
/// What a demo run measured. Every frame sent is either delivered on a remote CPU or counted in
/// <see cref="Dropped"/>: <c>Delivered + Dropped == Sent</c>.
/// </summary>
/// <param name="Mode">The redirect mode.</param>
/// <param name="Cpus">The CPUs frames were redirected to.</param>
/// <param name="Sent">Frames sent (the redirect program ran on each).</param>
/// <param name="Rows">Per CPU that took part (sent or delivered).</param>
/// <param name="Elapsed">Time spent sending.</param>
/// <param name="Cancelled">Whether the run was stopped before all frames were sent.</param>
public sealed record DemoResult(RssMode Mode, IReadOnlyList<int> Cpus, ulong Sent, IReadOnlyList<DemoCpuRow> Rows, TimeSpan Elapsed, bool Cancelled)
{
    /// <summary>Frames delivered on all CPUs.</summary>
    public ulong Delivered => Rows.Aggregate(0ul, (sum, r) => sum + r.Delivered);

    /// <summary>Frames the redirect program could not redirect (XDP_ABORTED).</summary>
    public ulong RedirectErrors => Rows.Aggregate(0ul, (sum, r) => sum + r.Errors);

    /// <summary>Frames the mode dropped on purpose (XDP_DROP: l4-filter, touch).</summary>
    public ulong Filtered => Rows.Aggregate(0ul, (sum, r) => sum + r.Dropped);

    /// <summary>
    /// Frames redirected but never delivered: dropped by the CPUMAP because a remote CPU's queue was
    /// full (qsize), the only other place a frame can be lost once the remote CPUs have drained.
    /// </summary>
    public ulong QueueDrops => Sent - RedirectErrors - Filtered - Delivered;

    /// <summary>
    /// Frames the kernel itself counted as dropped at full queues (tracepoint xdp:xdp_cpumap_enqueue),
    /// or null where that tracepoint could not be attached. When present it equals <see cref="QueueDrops"/>:
    /// the inferred drops are the ones the kernel reports.
    /// </summary>
    public ulong? KernelQueueDrops { get; init; }

    /// <summary>
    /// The extended statistics over the run, from the kernel's xdp tracepoints (enqueue pairs, remote kernel threads,
    /// redirect errors and exceptions), or null where they could not be attached.
    /// </summary>
    public ExtendedInterval? Extended { get; init; }

    /// <summary>
    /// With the remote action redirect: the frames that arrived at the far end of the device the remote CPUs sent them
    /// out of (at most <see cref="Delivered"/>: a device can drop what it cannot take); else null.
    /// </summary>
    public ulong? ArrivedAtPeer { get; init; }

    /// <summary>All frames not delivered: <see cref="RedirectErrors"/> + <see cref="Filtered"/> + <see cref="QueueDrops"/>.</summary>
    public ulong Dropped => RedirectErrors + Filtered + QueueDrops;

    /// <summary>The rounds the frames were sent in (one unless rebalancing).</summary>
    public IReadOnlyList<DemoRound> Rounds { get; init; } = [];

    /// <summary>
    /// The run's imbalance, the busiest CPU's share ÷ (1 / CPUs), 1.0 even: over the frames sent to each CPU, summed over
    /// the rounds (see <see cref="DemoRound.Load"/>), or over the delivered frames when there are no rounds.
    /// </summary>
    public double Imbalance => Rounds.Count > 0
        ? LoadImbalance.Of([.. Cpus.Select((_, i) => Rounds.Aggregate(0ul, (sum, r) => sum + r.Load[i]))])
        : LoadImbalance.Of([.. Cpus.Select(c => Rows.FirstOrDefault(r => r.Cpu == c)?.Delivered ?? 0)]);

    /// <summary>Frames sent to <paramref name="cpu"/> over all rounds (see <see cref="DemoRound.Load"/>); 0 for a CPU not in <see cref="Cpus"/>.</summary>
    public ulong LoadOf(int cpu)
    {
        var i = Cpus.ToList().IndexOf(cpu);
        return i < 0 ? 0 : Rounds.Aggregate(0ul, (sum, r) => sum + r.Load[i]);
    }

    /// <summary>The first round's imbalance: before any rebalancing.</summary>
    public double ImbalanceBefore => Rounds.Count > 0 ? Rounds[0].Imbalance : Imbalance;

    /// <summary>The last round's imbalance: after every rebalancing step.</summary>
    public double ImbalanceAfter => Rounds.Count > 0 ? Rounds[^1].Imbalance : Imbalance;

    /// <summary>Millions of frames per second through the redirect program, while sending.</summary>
    public double SentMpps => Elapsed > TimeSpan.Zero ? Sent / Elapsed.TotalSeconds / 1e6 : 0;

    /// <summary>Millions of frames per second delivered on the remote CPUs, over the sending time.</summary>
    public double DeliveredMpps => Elapsed > TimeSpan.Zero ? Delivered / Elapsed.TotalSeconds / 1e6 : 0;
}
