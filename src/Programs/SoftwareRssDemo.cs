using System.Diagnostics;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Netlink;
using CpuMap.Managed.Syscalls.Xdp;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;
using CpuMap.Managed.Programs.Tracing;
using CpuMap.Managed.Programs.Traffic;

namespace CpuMap.Managed.Programs;

/// <summary>
/// `cpumap demo` as a library call: software RSS end to end with no NIC. Makes a private (anonymous)
/// network namespace with a veth pair, loads the redirect with a counting remote program on every
/// chosen CPU, attaches it to the veth, and sends live frames (BPF_PROG_TEST_RUN with
/// BPF_F_TEST_XDP_LIVE_FRAMES) into it as if they arrived on the veth; then waits for the remote CPUs
/// to drain and returns the per-CPU counts. Everything it made is gone when it returns, also when
/// cancelled or failing: the redirect is detached and closed, then the namespace (with the veth) is closed.
/// </summary>
public static class SoftwareRssDemo
{
    /// <summary>The veth pair's names, inside the demo's own namespace (so they never clash with the host's).</summary>
    public const string DeviceName = "cpumap0", PeerName = "cpumap1";

    /// <summary>
    /// With the remote action redirect (<see cref="DemoOptions.RedirectOut"/>): the second pair, frames leaving by the first and
    /// counted arriving at the second.
    /// </summary>
    public const string RedirectDeviceName = "cpumap2", RedirectPeerName = "cpumap3";

    /// <summary>Frames per BPF_PROG_TEST_RUN call: short enough for progress and Ctrl-C to be prompt (~20 ms).</summary>
    private const uint MaxChunk = 65536;

    /// <summary>Runs the demo.</summary>
    /// <param name="options">Mode, CPUs, qsize, remote program, frames and flows.</param>
    /// <param name="progress">Told the frames sent after each chunk (from another thread), or null.</param>
    /// <param name="cancellation">Stops sending early; the result then covers what was sent.</param>
    public static DemoResult Run(DemoOptions options, IProgress<DemoProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        KernelFeatures.LiveFrames.Require("The demo's traffic source");
        var frames = Enumerable.Range(0, options.Flows).Select(flow => EthernetFrame.Udp(sourcePort: (ushort)(1024 + flow))).ToArray();

        // Disposed in reverse: the redirect is detached and closed before the namespace, and the
        // namespace's last fd takes the veth pair with it.
        using var netns = NetworkNamespace.CreateAnonymous();
        int ifindex;
        using (var rtnl = netns.OpenRtNetlink())
            ifindex = rtnl.NewVeth(DeviceName, PeerName);
        // The pair stays down: nothing but the demo's frames reaches the program (no IPv6 neighbour
        // discovery), so every frame counted is one the demo sent.
        using var target = options.Rss.Remote is RemoteAction.Redirect
            ? DemoRedirectTarget.Create(netns, RedirectDeviceName, RedirectPeerName)
            : null;
        using var rss = SoftwareRss.Load(options.Rss, netns);
        rss.Attach(DeviceName, XdpMode.Native, netns);
        // The extended statistics (enqueue pairs, remote kernel threads, errors), shown at the end. Their enqueue counter
        // is also the kernel's own count of frames dropped at full queues (tracepoint xdp:xdp_cpumap_enqueue), to check the
        // drops the demo infers: one program on the tracepoint, not two. Without either the inferred count stands alone.
        using var extended = TryExtendedStats(rss);
        using var ownEnqueue = extended is null ? CpuMapEnqueueCounter.TryAttach(rss.Redirect.CpuMap) : null;
        var enqueue = extended?.Enqueue ?? ownEnqueue;
        var before = rss.ReadCounters();
        var enqueueBefore = enqueue?.ReadAll();
        var extendedBefore = extended?.Read();

        // Every round sends the same frames (the first shows the imbalance before rebalancing, the last after), so the
        // frames are rounded down to a multiple of the rounds.
        var perRound = options.Skew.Split(options.Frames / (ulong)options.Rounds, options.Flows);
        var planned = options.Frames / (ulong)options.Rounds * (ulong)options.Rounds;
        var chunk = (uint)Math.Clamp(options.Frames / (ulong)options.Flows, LiveFrames.MaxBatchSize, MaxChunk);
        var cpus = rss.Redirect.Cpus;
        // Counting starts now, so the first step sees the first round only.
        var rebalancer = options.Rebalance ? new BucketRebalancer(((FlowHashRedirect)rss.Redirect).Table!, enqueue) : null;
        var rounds = new List<DemoRound>();
        ulong sent = 0;
        var elapsed = TimeSpan.Zero;
        var roundStart = before;
        var enqueueStart = enqueueBefore;
        for (var round = 0; round < options.Rounds && !cancellation.IsCancellationRequested; round++)
        {
            var last = round == options.Rounds - 1;
            var clock = Stopwatch.StartNew();
            // Run inside the namespace: the frames enter as if received on its veth, and those the remote
            // programs pass go up that namespace's stack, never the host's.
            var already = sent;
            sent += netns.Run(() => Send(rss.Redirect.Program, frames, perRound, ifindex, chunk, already, planned, progress, cancellation));
            elapsed += clock.Elapsed;
            var roundEnd = WaitForDrain(rss, roundStart, options.Drain);
            var delivered = roundEnd.Since(roundStart).Delivered!;
            var enqueueEnd = enqueue?.ReadAll();
            var load = cpus.Select(c => enqueueEnd is null ? delivered[c] : enqueueEnd[c].Processed - enqueueStart![c].Processed);
            var moves = rebalancer is not null && !last ? rebalancer.Step().Moves : [];
            rounds.Add(new DemoRound(round + 1, [.. load], moves));
            (roundStart, enqueueStart) = (roundEnd, enqueueEnd);
        }

        var after = roundStart;
        var interval = after.Since(before);
        ulong? kernelDrops = null;
        if (enqueue is not null)
        {
            var enqueueAfter = enqueue.ReadAll();
            kernelDrops = Enumerable.Range(0, enqueueAfter.Length).Aggregate(0ul, (sum, cpu) => sum + enqueueAfter[cpu].Drops - enqueueBefore![cpu].Drops);
        }
        var rows = new List<DemoCpuRow>();
        for (var cpu = 0; cpu < interval.Redirect.Count; cpu++)
        {
            var counters = interval.Redirect[cpu];
            var delivered = interval.Delivered![cpu];
            if (counters.Received != 0 || delivered != 0 || cpus.Contains(cpu))
                rows.Add(new DemoCpuRow(cpu, counters.Received, counters.Redirected, counters.Errors, delivered, counters.Dropped));
        }
        var extendedRun = extended is null ? null : WaitForKernelThreads(extended, extendedBefore!, options.Drain);
        var arrived = target is null ? (ulong?)null : WaitForArrivals(target, interval.Delivered!.Aggregate(0ul, (s, d) => s + d), options.Drain);
        return new DemoResult(options.Rss.Mode, cpus, sent, rows, elapsed, sent < planned)
        {
            KernelQueueDrops = kernelDrops, Rounds = rounds, Extended = extendedRun, ArrivedAtPeer = arrived,
        };
    }

    private static ExtendedStats? TryExtendedStats(SoftwareRss rss)
    {
        try
        {
            return ExtendedStats.Attach(rss.Redirect.CpuMap, rss.Redirect.Program.Id);
        }
        catch (BpfException)
        {
            // A kernel without these tracepoints or raw tracepoint links: the demo runs without the extended tables.
            return null;
        }
    }

    /// <summary>
    /// A kernel thread reports a batch after its remote program has run on it, so the remote counts can be ahead of the
    /// tracepoint's: wait until the threads have reported every frame queued for them (or the timeout, as for the drain).
    /// </summary>
    private static ExtendedInterval WaitForKernelThreads(ExtendedStats extended, ExtendedSnapshot before, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var run = extended.Read().Since(before);
            if (run.Counts.KthreadTotal.Processed >= run.Counts.EnqueueTotal.Enqueued || clock.Elapsed >= timeout)
                return run;
            Thread.Sleep(2);
        }
    }

    /// <summary>Sends <paramref name="counts"/>[i] copies of flow i, in turns of at most <paramref name="chunk"/> per flow, so the flows interleave.</summary>
    private static ulong Send(ProgFd program, byte[][] frames, ulong[] counts, int ifindex, uint chunk, ulong already, ulong total,
        IProgress<DemoProgress>? progress, CancellationToken cancellation)
    {
        var left = (ulong[])counts.Clone();
        ulong sent = 0;
        for (var more = true; more && !cancellation.IsCancellationRequested;)
        {
            more = false;
            for (var flow = 0; flow < frames.Length && !cancellation.IsCancellationRequested; flow++)
            {
                if (left[flow] == 0)
                    continue;
                var count = (uint)Math.Min(chunk, left[flow]);
                LiveFrames.Send(program, frames[flow], count, LiveFrames.MaxBatchSize, ifindex);
                left[flow] -= count;
                sent += count;
                more |= left[flow] != 0;
                progress?.Report(new DemoProgress(already + sent, total));
            }
        }
        return sent;
    }

    /// <summary>
    /// The frames the remote CPUs sent on reach the peer through its NAPI poll, after the remote count: wait until all
    /// have arrived, or the count stops moving for a while (the device dropped the rest), or the timeout.
    /// </summary>
    private static ulong WaitForArrivals(DemoRedirectTarget target, ulong sentOn, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var lastChange = clock.Elapsed;
        var last = target.ReadArrived();
        while (last < sentOn && clock.Elapsed < timeout && clock.Elapsed - lastChange < TimeSpan.FromMilliseconds(200))
        {
            Thread.Sleep(2);
            var now = target.ReadArrived();
            if (now != last)
                (last, lastChange) = (now, clock.Elapsed);
        }
        return last;
    }

    /// <summary>
    /// Frames sit in the CPUMAP queues until each remote CPU's kernel thread runs: wait until every
    /// redirected frame is delivered, or the count stops moving for a while (the rest were dropped).
    /// </summary>
    private static RedirectSnapshot WaitForDrain(SoftwareRss rss, RedirectSnapshot before, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var lastChange = clock.Elapsed;
        ulong lastDelivered = 0;
        while (true)
        {
            var now = rss.ReadCounters();
            var interval = now.Since(before);
            var redirected = interval.Redirect.Aggregate(0ul, (s, c) => s + c.Redirected);
            var delivered = interval.Delivered!.Aggregate(0ul, (s, d) => s + d);
            if (delivered != lastDelivered)
            {
                lastDelivered = delivered;
                lastChange = clock.Elapsed;
            }
            if (delivered >= redirected || clock.Elapsed >= timeout || clock.Elapsed - lastChange > TimeSpan.FromMilliseconds(200))
                return now;
            Thread.Sleep(2);
        }
    }
}
