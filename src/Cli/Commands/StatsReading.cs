using CpuMap.Managed.Programs;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Tracing;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>
/// One reading of <c>cpumap stats</c>: the counters now (since the program or, for the kernel's tracepoint counts,
/// since stats started) and what they counted over the last interval, as every output format shows them.
/// </summary>
/// <param name="Device">The device named by --dev.</param>
/// <param name="Redirect">The attached redirect.</param>
/// <param name="Now">The counters now.</param>
/// <param name="Interval">What they counted since the reading before.</param>
/// <param name="ExtendedNow">The extended counters now (--extended), or null.</param>
/// <param name="ExtendedInterval">What they counted since the reading before, or null.</param>
internal sealed record StatsReading(string Device, AttachedRedirect Redirect, RedirectSnapshot Now, RedirectInterval Interval,
    ExtendedSnapshot? ExtendedNow, ExtendedInterval? ExtendedInterval)
{
    /// <summary>
    /// What remote CPU <paramref name="cpu"/> was sent, now: with --extended from the enqueue pairs (one read, so the
    /// per-CPU figures and the pairs agree), else from the enqueue counter; null without either.
    /// </summary>
    public EnqueueCounters? EnqueueNow(int cpu) => ExtendedNow is { } e ? e.EnqueuedTo(cpu) : Now.Enqueue?[cpu];

    /// <summary>The same over the interval.</summary>
    public EnqueueCounters? EnqueueCounted(int cpu) => ExtendedInterval is { } e ? e.Counts.EnqueuedTo(cpu) : Interval.Enqueue?[cpu];

    /// <summary>Whether the enqueue figures are known.</summary>
    public bool HasEnqueue => ExtendedNow is not null || Now.Enqueue is not null;

    /// <summary>The CPUs with a line: the possible ones, and any other that counted something.</summary>
    public IEnumerable<int> Cpus => Enumerable.Range(0, Now.Redirect.Count)
        .Where(cpu => Syscalls.CpuList.Possible.Contains(cpu) || Now.Redirect[cpu].Received != 0 || (Now.Delivered?[cpu] ?? 0) != 0);
}
