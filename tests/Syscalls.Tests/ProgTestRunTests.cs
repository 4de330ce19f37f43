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
        using var prog = LoadXdp(XdpAction.Drop);
        var result = Bpf.ProgTestRun(prog, EthernetFrame(), repeat: 1000, flags: BpfTestRunFlags.XdpLiveFrames, batchSize: 64);
        Assert.Equal(0u, result.Retval);
    }

    [Fact]
    public void Kernel_refusals_are_explained()
    {
        Kernel.RequireBpf();
        using var prog = LoadXdp(XdpAction.Pass);
        var shortFrame = Assert.Throws<BpfException>(() => Bpf.ProgTestRun(prog, new byte[10]));
        Assert.Equal((BpfCommand.ProgTestRun, Errno.EINVAL), (shortFrame.Command, shortFrame.Errno.Value));
        Assert.Contains("14 bytes", shortFrame.Message);
        var batch = Assert.Throws<BpfException>(() =>
            Bpf.ProgTestRun(prog, EthernetFrame(), repeat: 10, flags: BpfTestRunFlags.XdpLiveFrames, batchSize: 300));
        Assert.Equal(Errno.E2BIG, batch.Errno.Value);
        Assert.Contains("batch_size", batch.Message);
        var small = Assert.Throws<BpfException>(() => Bpf.ProgTestRun(prog, EthernetFrame(), new byte[20]));
        Assert.Equal(Errno.ENOSPC, small.Errno.Value);
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
