using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;
using CpuMap.Managed.Programs.Traffic;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>
/// Frames really redirected: BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES puts them on the CPUMAP
/// queues, each remote CPU's kernel thread runs <see cref="RemoteCpuCounter"/> on them, and its per-CPU
/// counts show where they arrived.
/// </summary>
public sealed class LiveFramesTests(ITestOutputHelper output)
{
    private static readonly byte[] Frame = EthernetFrame.Udp();

    [Fact]
    public void Single_frames_arrive_on_the_configured_cpus_in_round_robin_order()
    {
        Kernel.RequireBpf();
        var cpus = TestCpus.TwoCpus();
        using var counter = RemoteCpuCounter.Load(XdpAction.Drop);
        using var redirect = RoundRobinRedirect.Load();
        redirect.Configure(cpus, program: counter.Program);
        using var pin = CpuAffinity.Pin(cpus[0]);

        Assert.Equal([cpus[0], cpus[1], cpus[0], cpus[1]], Arrivals.SendOneByOne(redirect.Program, counter, 4));
    }

    [Fact]
    public void With_one_configured_cpu_every_frame_arrives_there()
    {
        Kernel.RequireBpf();
        var cpu = CpuList.Possible[^1];
        using var counter = RemoteCpuCounter.Load(XdpAction.Drop);
        using var redirect = RoundRobinRedirect.Load();
        redirect.Configure([cpu], program: counter.Program);
        using var pin = CpuAffinity.Pin(CpuList.Possible[0]);

        Assert.Equal([cpu, cpu, cpu], Arrivals.SendOneByOne(redirect.Program, counter, 3));
    }

    [Theory]
    [InlineData(XdpAction.Drop)]
    [InlineData(XdpAction.Pass)]
    public void Many_frames_split_evenly_across_the_configured_cpus(XdpAction remoteAction)
    {
        Kernel.RequireBpf();
        var cpus = CpuList.Possible.ToArray();
        // Each queue holds more than its share, so no frame can be dropped for a full queue, even if a
        // kernel thread does not run until the whole burst is sent: every frame must be counted.
        const uint qsize = 16384;
        var frames = (uint)(cpus.Length * 16000);
        using var counter = RemoteCpuCounter.Load(remoteAction);
        using var redirect = RoundRobinRedirect.Load();
        redirect.Configure(cpus, qsize, counter.Program);

        var run = LiveFrames.Send(redirect.Program, Frame, frames, LiveFrames.MaxBatchSize);
        var counts = counter.WaitForTotal(frames, Arrivals.Drain);

        output.WriteLine($"{frames} frames at {run.Duration} ns each; arrived per CPU: " +
                         string.Join(", ", cpus.Select(c => $"CPU {c}: {counts[c]}")));
        Assert.Equal((ulong)frames, counts.Aggregate(0ul, (a, b) => a + b));
        // Each CPU that ran the redirect keeps its own iterator, which alternates exactly; the thread may
        // move between CPUs between batches, so each CPU that ran it can leave its share off by one.
        var share = frames / (ulong)cpus.Length;
        var tolerance = (ulong)CpuList.Possible.Count;
        Assert.All(cpus, c => Assert.InRange(counts[c], share - tolerance, share + tolerance));
    }

    [Fact]
    public void Frames_to_a_cpu_removed_from_the_list_stop_arriving_there()
    {
        Kernel.RequireBpf();
        var cpus = TestCpus.TwoCpus();
        using var counter = RemoteCpuCounter.Load(XdpAction.Drop);
        using var redirect = RoundRobinRedirect.Load();
        redirect.Configure(cpus, program: counter.Program);
        redirect.Configure([cpus[1]], program: counter.Program);

        LiveFrames.Send(redirect.Program, Frame, 100);
        var counts = counter.WaitForTotal(100, Arrivals.Drain);
        Assert.Equal(0ul, counts[cpus[0]]);
        Assert.Equal(100ul, counts[cpus[1]]);
    }
}
