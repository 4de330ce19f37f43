using CpuMap.Managed.Testing;
using static CpuMap.Managed.Syscalls.Tests.TestPrograms;

namespace CpuMap.Managed.Syscalls.Tests;

public class ProgTestRunTests
{
    [Fact]
    public void Runs_xdp_pass_on_an_ethernet_frame()
    {
        Kernel.RequireBpf();
        using var prog = LoadXdp(XdpAction.Pass);
        var frame = EthernetFrame();
        var output = new byte[frame.Length];
        var result = Bpf.ProgTestRun(prog, frame, output, repeat: 10);
        Assert.Equal(XdpAction.Pass, result.XdpAction);
        Assert.Equal((uint)frame.Length, result.DataSizeOut);
        Assert.Equal(frame, output);
    }

    [Fact]
    public void Runs_live_frames_in_batches()
    {
        Kernel.RequireBpf();
        // In live-frames mode the kernel reports no per-frame verdict (retval stays 0 whether or not
        // anything ran), so the program counts its own runs in an ARRAY map: every one of the repeats
        // must have run the program exactly once, in batches of 64.
        using var counter = Bpf.MapCreate(BpfMapType.Array, 4, 8, 1);
        using var prog = Bpf.ProgLoad(BpfProgType.Xdp, CountAndDrop(counter));
        Bpf.ProgTestRun(prog, EthernetFrame(), repeat: 1000, flags: BpfTestRunFlags.XdpLiveFrames, batchSize: 64);
        Assert.True(Bpf.MapLookupElem(counter, 0u, out ulong ran), "the counter map has no key 0");
        Assert.True(ran == 1000, $"live frames ran the program {ran} times, expected once per repeat (1000)");
    }

    [Fact]
    public void Kernel_refusals_are_explained()
    {
        Kernel.RequireBpf();
        using var prog = LoadXdp(XdpAction.Pass);
        var shortFrame = Assert.Throws<BpfException>(() => Bpf.ProgTestRun(prog, new byte[10]));
        Assert.Equal((BpfCommand.ProgTestRun, Errno.EINVAL), (shortFrame.Command, shortFrame.Errno));
        Assert.Contains("14 bytes", shortFrame.Message);
        var batch = Assert.Throws<BpfException>(() =>
            Bpf.ProgTestRun(prog, EthernetFrame(), repeat: 10, flags: BpfTestRunFlags.XdpLiveFrames, batchSize: 300));
        Assert.Equal(Errno.E2BIG, batch.Errno);
        Assert.Contains("batch_size", batch.Message);
        var small = Assert.Throws<BpfException>(() => Bpf.ProgTestRun(prog, EthernetFrame(), new byte[20]));
        Assert.Equal(Errno.ENOSPC, small.Errno);
        Assert.Contains("at least 64 bytes", small.Message);
    }

    [Fact]
    public void Refuses_a_disposed_program()
    {
        Kernel.RequireBpf();
        var prog = LoadXdp();
        prog.Dispose();
        Assert.Contains("'prog'", Assert.Throws<ObjectDisposedException>(() => Bpf.ProgTestRun(prog, EthernetFrame())).Message);
        Assert.Throws<ArgumentNullException>(() => Bpf.ProgTestRun(null!, EthernetFrame()));
    }
}
