using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Bytecode;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;
using CpuMap.Managed.Programs.Tracing;
using CpuMap.Managed.Programs.Traffic;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>The redirect programs' per-CPU counters and the snapshots a live table is built from.</summary>
public sealed class RedirectStatsTests
{
    [Fact]
    public void Round_robin_counts_only_when_asked_and_stays_the_seeds_program_otherwise()
    {
        Kernel.RequireBpf();
        using var plain = RoundRobinRedirect.Load();
        Assert.Null(plain.Stats);
        Assert.Equal(RoundRobinProgram.Build().SlotCount, plain.Instructions!.SlotCount);
        var e = Assert.Throws<InvalidOperationException>(() => plain.ReadStats());
        Assert.Contains("countStats: true", e.Message);

        using var counting = RoundRobinRedirect.Load(countStats: true);
        Assert.NotNull(counting.Stats);
        Assert.Equal(XdpAction.Aborted, Bpf.ProgTestRun(counting.Program, EthernetFrame.Udp()).XdpAction);
        counting.Configure([CpuList.Possible[0]]);
        Assert.Equal(XdpAction.Redirect, Bpf.ProgTestRun(counting.Program, EthernetFrame.Udp(), repeat: 3).XdpAction);
        Assert.Equal(new RedirectCounters(4, 3, 1, 0), Snapshot(counting).RedirectTotal);
    }

    public static TheoryData<int[]> CpuSets() => new(TestCpus.Subsets());

    [Theory]
    [MemberData(nameof(CpuSets))]
    public void Snapshots_add_up_and_their_difference_is_what_was_sent_in_between(int[] cpus)
    {
        Kernel.RequireBpf();
        // The round-robin iterator is per sending CPU: pinned, every frame advances one iterator, so
        // the remote CPUs' shares differ by at most one frame whatever the batch boundaries.
        using var pinned = CpuAffinity.Pin(CpuList.Possible[0]);
        using var counter = RemoteCpuCounter.Load(XdpAction.Drop);
        using var redirect = RoundRobinRedirect.Load(countStats: true);
        // Queues deep enough for every frame sent: with the sender pinned to a CPU that also runs a remote
        // CPU's kthread, that kthread only drains between batches, and a default-sized queue would drop.
        redirect.Configure(cpus, 16384, counter.Program);
        LiveFrames.Send(redirect.Program, EthernetFrame.Udp(), 1000);
        counter.WaitForTotal(1000, Arrivals.Drain);
        var first = RedirectSnapshot.Take(redirect, counter);

        LiveFrames.Send(redirect.Program, EthernetFrame.Udp(), 3000, LiveFrames.MaxBatchSize);
        counter.WaitForTotal(4000, Arrivals.Drain);
        var second = RedirectSnapshot.Take(redirect, counter);
        var fromMaps = RedirectSnapshot.Read(redirect.Stats!, counter.RemotePackets);
        Assert.Equal(second.RedirectTotal, fromMaps.RedirectTotal);
        Assert.Equal(second.Delivered, fromMaps.Delivered);

        Assert.Equal(new RedirectCounters(4000, 4000, 0, 0), second.RedirectTotal);
        Assert.Equal(4000ul, second.DeliveredTotal);
        foreach (var counters in second.Redirect)
            Assert.Equal(counters.Received, counters.Redirected + counters.Errors);
        var interval = second.Since(first);
        Assert.True(interval.Duration > TimeSpan.Zero);
        Assert.Equal(3000ul, interval.Redirect.Aggregate(0ul, (sum, c) => sum + c.Redirected));
        Assert.Equal(3000ul, interval.Delivered!.Aggregate(0ul, (a, b) => a + b));
        // Round-robin over the configured CPUs from one iterator: each gets 3000 / n rounded down or up, the rest none.
        var share = 3000ul / (ulong)cpus.Length;
        var rounded = 3000ul % (ulong)cpus.Length == 0 ? share : share + 1;
        var delivered = interval.Delivered!;
        for (var cpu = 0; cpu < delivered.Count; cpu++)
        {
            var (low, high) = cpus.Contains(cpu) ? (share, rounded) : (0ul, 0ul);
            Assert.True(delivered[cpu] >= low && delivered[cpu] <= high,
                $"CPU {cpu} got {delivered[cpu]} of 3000 frames round-robin over [{string.Join(", ", cpus)}], expected {low}..{high}");
        }
        Assert.Equal(3000 / interval.Duration.TotalSeconds, interval.PerSecond(3000), 6);
        Assert.Equal(0, (interval with { Duration = TimeSpan.Zero }).PerSecond(5));
    }

    [Fact]
    public void Bad_snapshots_and_maps_are_refused()
    {
        Kernel.RequireBpf();
        using var redirect = FlowHashRedirect.Load();
        using var counter = RemoteCpuCounter.Load();
        var earlier = RedirectSnapshot.Take(redirect);
        var later = RedirectSnapshot.Take(redirect);
        Assert.Null(later.Delivered);
        Assert.Null(later.DeliveredTotal);
        Assert.Equal("earlier", Assert.Throws<ArgumentNullException>(() => later.Since(null!)).ParamName);
        Assert.Contains("later.Since(earlier)", Assert.Throws<ArgumentException>(() => earlier.Since(later)).Message);
        Assert.Contains("same arguments", Assert.Throws<ArgumentException>(() => RedirectSnapshot.Take(redirect, counter).Since(earlier)).Message);
        Assert.Equal("redirect", Assert.Throws<ArgumentNullException>(() => RedirectSnapshot.Take(null!)).ParamName);
        // Without redirect counters (a user's own program) the snapshot says so, and its redirect counts are zeros, not made up.
        var uncounted = RedirectSnapshot.Read(null);
        Assert.False(uncounted.RedirectCounted);
        Assert.All(uncounted.Redirect, c => Assert.Equal(default, c));
        Assert.True(later.RedirectCounted);
        var notCounter = Assert.Throws<ArgumentException>(() => RedirectSnapshot.Read(redirect.Stats!, redirect.Stats));
        Assert.Equal("remotePackets", notCounter.ParamName);
        Assert.Contains("is not a remote packet counter", notCounter.Message);
        Assert.Equal("map", Assert.Throws<ArgumentException>(() => RedirectSnapshot.Read(counter.RemotePackets)).ParamName);

        Assert.Equal("map", Assert.Throws<ArgumentNullException>(() => RedirectStats.Read(null!)).ParamName);
        Assert.Equal("map", Assert.Throws<ArgumentNullException>(() => RedirectStats.Clear(null!)).ParamName);
        Assert.Equal("map", Assert.Throws<ArgumentException>(() => RedirectStats.Clear(counter.RemotePackets)).ParamName);
        var wrong = Assert.Throws<ArgumentException>(() => RedirectStats.Read(counter.RemotePackets));
        Assert.Equal("map", wrong.ParamName);
        Assert.Contains("is not a redirect statistics map", wrong.Message);
        Assert.Contains("40-byte values", wrong.Message);
    }

    [Fact]
    public void Snapshots_carry_enqueue_drops_per_remote_cpu()
    {
        Kernel.RequireBpf();
        using var redirect = FlowHashRedirect.Load();
        using var enqueue = CpuMapEnqueueCounter.Load(redirect.CpuMap);
        var cpu = CpuList.Possible[^1];
        var first = RedirectSnapshot.Take(redirect, enqueue: enqueue);
        CpuMapEnqueueCounterTests.Fire(enqueue, redirect.CpuMap.Fd.Id, processed: 64, drops: 12, cpu);
        var second = RedirectSnapshot.Take(redirect, enqueue: enqueue);

        Assert.Equal(new EnqueueCounters(64, 12, Bulks: 1), second.Enqueue![cpu]);
        Assert.Equal(new EnqueueCounters(64, 12, Bulks: 1), second.Since(first).Enqueue![cpu]);
        Assert.Contains("same arguments", Assert.Throws<ArgumentException>(() => RedirectSnapshot.Take(redirect).Since(first)).Message);
    }

    [Fact]
    public void Clear_zeroes_every_cpu()
    {
        Kernel.RequireBpf();
        using var redirect = FlowHashRedirect.Load();
        Bpf.ProgTestRun(redirect.Program, EthernetFrame.Udp(), repeat: 5);
        Assert.Equal(5ul, Snapshot(redirect).RedirectTotal.Received);
        RedirectStats.Clear(redirect.Stats!);
        Assert.Equal(default, Snapshot(redirect).RedirectTotal);
    }

    private static RedirectSnapshot Snapshot(CpuRedirect redirect) => RedirectSnapshot.Take(redirect);
}
