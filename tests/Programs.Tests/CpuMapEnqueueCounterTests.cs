using System.Runtime.InteropServices;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;
using CpuMap.Managed.Programs.Tracing;
using CpuMap.Managed.Programs.Traffic;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>
/// The xdp:xdp_cpumap_enqueue counter, run by BPF_PROG_TEST_RUN with the tracepoint's arguments as its
/// context (map_id, processed, drops, to_cpu), as the kernel passes them when the tracepoint fires.
/// </summary>
public sealed class CpuMapEnqueueCounterTests
{
    [Fact]
    public void Adds_processed_and_drops_to_the_remote_cpu_of_the_chosen_cpumap_only()
    {
        Kernel.RequireBpf();
        using var cpuMap = BpfCpuMap.Create(name: "enqueue_test");
        using var counter = CpuMapEnqueueCounter.Load(cpuMap);
        Assert.Equal(BpfProgType.RawTracepoint, counter.Program.Type);
        var cpu = CpuList.Possible[^1];

        Fire(counter, cpuMap.Fd.Id, processed: 8, drops: 0, cpu);
        Fire(counter, cpuMap.Fd.Id, processed: 16, drops: 5, cpu);
        Fire(counter, cpuMap.Fd.Id + 1000, processed: 99, drops: 99, cpu);   // another CPUMAP: not counted

        // Two events of this CPUMAP: two bulks, of 8 and 16 frames.
        Assert.Equal(new EnqueueCounters(24, 5, Bulks: 2), counter.Read(cpu));
        Assert.Equal(12.0, counter.Read(cpu).AverageBulk);
        var all = counter.ReadAll();
        Assert.Equal(new EnqueueCounters(24, 5, Bulks: 2), all[cpu]);
        Assert.Equal(new EnqueueCounters(24, 5, Bulks: 2), all.Aggregate(default(EnqueueCounters), (a, b) => a + b));
    }

    [Fact]
    public void Without_a_cpumap_every_cpumap_counts_and_bad_cpus_are_refused()
    {
        Kernel.RequireBpf();
        using var counter = CpuMapEnqueueCounter.Load();
        var cpu = CpuList.Possible[0];
        Fire(counter, 1, 3, 1, cpu);
        Fire(counter, 2, 4, 0, cpu);
        // A to_cpu beyond the map is ignored rather than written out of bounds.
        Fire(counter, 2, 4, 0, CpuList.Possible[^1] + 1);
        Assert.Equal(new EnqueueCounters(7, 1, Bulks: 2), counter.Read(cpu));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => counter.Read(-1));
        Assert.Equal("cpu", e.ParamName);
        Assert.Contains("not a possible CPU", e.Message);
    }

    [Fact]
    public void Attached_it_counts_the_frames_really_enqueued_by_live_frames()
    {
        Kernel.RequireBpf();
        using var redirect = RoundRobinRedirect.Load();
        using var remote = RemoteCpuCounter.Load(XdpAction.Drop);
        redirect.Configure(CpuList.Possible.ToArray(), qsize: BpfCpuMap.MaxQsize, remote.Program);
        using var counter = CpuMapEnqueueCounter.Load(redirect.CpuMap).Attach();
        Assert.NotNull(counter.Link);
        Assert.Same(counter.Link, counter.Attach().Link);   // attaching twice keeps the one link

        const uint frames = 4000;
        LiveFrames.Send(redirect.Program, EthernetFrame.Udp(1000, 2000, 64), frames);
        remote.WaitForTotal(frames, TimeSpan.FromSeconds(10));

        var all = counter.ReadAll();
        var processed = all.Aggregate(0UL, (sum, c) => sum + c.Processed);
        var drops = all.Aggregate(0UL, (sum, c) => sum + c.Drops);
        // Each flush of a redirecting CPU's bulk queue fires the tracepoint with what it flushed.
        Assert.Equal(frames, processed);
        Assert.Equal(remote.ReadTotal() + drops, processed);
    }

    internal static void Fire(CpuMapEnqueueCounter counter, uint mapId, uint processed, uint drops, int toCpu)
    {
        ReadOnlySpan<ulong> args = [mapId, processed, drops, (ulong)(uint)toCpu];
        Bpf.ProgTestRun(counter.Program, default, repeat: 0, ctxIn: MemoryMarshal.AsBytes(args));
    }
}
