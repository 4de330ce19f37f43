namespace CpuMap.Managed.Programs.Redirect;

/// <summary>
/// What a redirect program counted on one CPU (or, summed, on all): the value of its
/// <c>redirect_stats</c> PERCPU_ARRAY. Every frame is received once and then either redirected or
/// an error or dropped on purpose, so <c>Received == Redirected + Errors + Dropped</c> on every CPU at any moment between frames.
/// </summary>
/// <param name="Received">Frames the program ran on.</param>
/// <param name="Redirected">Frames bpf_redirect_map accepted (XDP_REDIRECT): queued for a remote CPU unless the enqueue then fails.</param>
/// <param name="Errors">Frames returned as XDP_ABORTED: no CPU configured, or the chosen CPU has no CPUMAP entry.</param>
/// <param name="NonIp">Of the received frames, those the flow hash could not hash (not IPv4/IPv6, or headers cut short)
/// and sent to the non-IP CPU (for the l4 modes: frames neither IPv4 nor IPv6, sent to the first CPU); always 0 for round-robin.</param>
/// <param name="Dropped">Frames the mode dropped on purpose (XDP_DROP): UDP to port 9 in l4-filter, 802.3 length frames in touch.</param>
public readonly record struct RedirectCounters(ulong Received, ulong Redirected, ulong Errors, ulong NonIp, ulong Dropped = 0)
{
    /// <summary>The counters added field by field.</summary>
    public static RedirectCounters operator +(RedirectCounters a, RedirectCounters b) =>
        new(a.Received + b.Received, a.Redirected + b.Redirected, a.Errors + b.Errors, a.NonIp + b.NonIp, a.Dropped + b.Dropped);

    /// <summary>What was counted between snapshot <paramref name="earlier"/> and <paramref name="later"/>.</summary>
    public static RedirectCounters operator -(RedirectCounters later, RedirectCounters earlier) =>
        new(later.Received - earlier.Received, later.Redirected - earlier.Redirected, later.Errors - earlier.Errors, later.NonIp - earlier.NonIp, later.Dropped - earlier.Dropped);
}
