using System.Runtime.InteropServices;
using BpfAsm;
using CpuMap.Managed.Loader;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Testing;
using static BpfAsm.Register;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;
using CpuMap.Managed.Programs.Tracing;
using CpuMap.Managed.Programs.Traffic;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>
/// The extended statistics from the kernel's xdp tracepoints, against what the frames' own programs counted: live
/// frames sent through a real CPUMAP, a remote program that counts every frame it sees, and the kernel's reports.
/// </summary>
public sealed class ExtendedStatsTests
{
    [Theory]
    [InlineData(BpfCpuMap.MaxQsize)]
    [InlineData(8u)]     // small queues: the kernel drops at enqueue, and the sums must still close
    public void Over_a_closed_run_the_figures_add_up(uint qsize)
    {
        Kernel.RequireBpf();
        using var redirect = RoundRobinRedirect.Load(countStats: true);
        using var remote = RemoteCpuCounter.Load(XdpAction.Drop);
        redirect.Configure(CpuList.Possible.ToArray(), qsize, remote.Program);
        using var stats = ExtendedStats.Attach(redirect.CpuMap, redirect.Program.Id);
        var before = stats.Read();

        const uint frames = 20000;
        LiveFrames.Send(redirect.Program, EthernetFrame.Udp(1000, 2000, 64), frames);
        // Closed once every frame the kernel queued has been taken off a queue by a kernel thread.
        Eventually.True(() => { var s = stats.Read().Since(before).Counts; return s.KthreadTotal.Processed == s.EnqueueTotal.Enqueued; },
            "every enqueued frame processed by a remote CPU's kernel thread");
        var run = stats.Read().Since(before).Counts;
        var redirected = RedirectStats.Read(redirect.Stats!).Aggregate(0ul, (sum, c) => sum + c.Redirected);

        // Sent = redirected (the redirect program's count) = processed at enqueue = delivered + dropped.
        Assert.Equal(frames, redirected);
        Assert.Equal(frames, run.EnqueueTotal.Processed);
        var delivered = remote.ReadTotal();
        Assert.Equal(frames, delivered + run.EnqueueTotal.Drops + run.KthreadTotal.Drops);
        Assert.True(run.EnqueueTotal.Bulks > 0 && run.EnqueueTotal.Bulks <= frames, $"bulks {run.EnqueueTotal.Bulks} for {frames} frames");
        var counts = remote.ReadCounts();
        foreach (var cpu in CpuList.Possible)
        {
            // Per remote CPU: what was queued to it is what its thread took off, and its program saw every frame the
            // thread did not drop; the remote program answered XDP_DROP for each, which the kernel counts as drop.
            Assert.Equal(run.EnqueuedTo(cpu).Enqueued, run.Kthread[cpu].Processed);
            Assert.Equal(counts[cpu], run.Kthread[cpu].Processed - run.Kthread[cpu].Drops);
            Assert.True(stats.Kthread.CountsRemoteActions);
            Assert.Equal(counts[cpu], run.Kthread[cpu].Drop);
            Assert.Equal(0ul, run.Kthread[cpu].Pass + run.Kthread[cpu].Redirect);
        }
        Assert.Equal(new XdpErrorCounters(0, 0), run.ErrorsTotal);
    }

    [Fact]
    public void Each_enqueue_counts_for_the_cpu_that_flushed_it()
    {
        Kernel.RequireBpf();
        using var cpuMap = BpfCpuMap.Create(name: "pairs_test");
        using var counter = CpuMapEnqueueCounter.Load(cpuMap);
        var to = CpuList.Possible[0];
        // Only an online CPU can run the test thread; a possible CPU that is offline flushes nothing and reads 0.
        var online = CpuList.ReadOnline();
        foreach (var from in online)
        {
            using var pin = CpuAffinity.Pin(from);
            CpuMapEnqueueCounterTests.Fire(counter, cpuMap.Fd.Id, processed: (uint)(from + 3), drops: 1, to);
        }
        var pairs = counter.ReadPairs();
        foreach (var from in CpuList.Possible)
            foreach (var cpu in CpuList.Possible)
                Assert.Equal(cpu == to && online.Contains(from) ? new EnqueueCounters((ulong)from + 3, 1, 1) : default, pairs[from][cpu]);
    }

    [Fact]
    public void Redirect_errors_count_for_the_failing_program_only()
    {
        Kernel.RequireBpf();
        // bpf_redirect to an interface index no device has: every frame's redirect fails (xdp_do_redirect: EINVAL).
        var p = new ProgramBuilder("redirect_nowhere");
        p.Mov(W1, int.MaxValue - 1).Mov(W2, 0).Call(BpfHelper.Redirect).Exit();
        using var failing = DslProgramLoader.Load(p.Build(), "redirect_nowhere", []);
        using var other = DslProgramLoader.Load(p.Build(), "redirect_nowhere", []);
        using var mine = XdpErrorCounter.Load(failing.Id).Attach();
        using var notMine = XdpErrorCounter.Load(other.Id).Attach();
        Assert.Equal(failing.Id, mine.ProgramId);

        const uint frames = 300;
        LiveFrames.Send(failing, EthernetFrame.Udp(), frames);

        var counted = mine.ReadAll().Aggregate(default(XdpErrorCounters), (a, b) => a + b);
        Assert.Equal(new XdpErrorCounters(frames, 0), counted);
        Assert.Equal(default, notMine.ReadAll().Aggregate(default(XdpErrorCounters), (a, b) => a + b));
    }

    [Fact]
    public void The_kthread_counter_keeps_to_its_cpumap()
    {
        Kernel.RequireBpf();
        using var cpuMap = BpfCpuMap.Create(name: "kthread_test");
        using var counter = CpuMapKthreadCounter.Load(cpuMap);
        // Fired by hand with a null xdp_stats: processed, drops and sched count, the verdicts cannot.
        Fire(counter, cpuMap.Fd.Id, processed: 8, drops: 2, sched: 1);
        Fire(counter, cpuMap.Fd.Id + 1000, processed: 99, drops: 99, sched: 1);
        var total = counter.ReadAll().Aggregate(default(KthreadCounters), (a, b) => a + b);
        Assert.Equal(new KthreadCounters(8, 2, 1, 0, 0, 0), total);
    }

    [Fact]
    public void Without_a_cpumap_there_is_nothing_to_extend_and_snapshots_compare_only_in_order()
    {
        Assert.Equal("cpuMap", Assert.Throws<ArgumentNullException>(() => ExtendedStats.Attach(null!, 0)).ParamName);
        Kernel.RequireBpf();
        using var cpuMap = BpfCpuMap.Create(name: "since_test");
        using var stats = ExtendedStats.Attach(cpuMap, 0);
        var first = stats.Read();
        var second = stats.Read();
        Assert.Equal(TimeSpan.Zero, first.Since(first).Duration);
        var backwards = Assert.Throws<ArgumentException>(() => first.Since(second));
        Assert.Equal("earlier", backwards.ParamName);
        Assert.Contains("call later.Since(earlier)", backwards.Message);
        Assert.Equal("earlier", Assert.Throws<ArgumentNullException>(() => second.Since(null!)).ParamName);
        var other = second with { Errors = null };
        Assert.Contains("a different set of counters", Assert.Throws<ArgumentException>(() => other.Since(first)).Message);
    }

    private static void Fire(CpuMapKthreadCounter counter, uint mapId, uint processed, uint drops, int sched)
    {
        ReadOnlySpan<ulong> args = [mapId, processed, drops, (ulong)(uint)sched, 0];
        Bpf.ProgTestRun(counter.Program, default, repeat: 0, ctxIn: MemoryMarshal.AsBytes(args));
    }
}
