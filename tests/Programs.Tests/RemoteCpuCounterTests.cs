using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Remote;

namespace CpuMap.Managed.Programs.Tests;

public sealed class RemoteCpuCounterTests
{
    [Theory]
    [InlineData(XdpAction.Pass)]
    [InlineData(XdpAction.Drop)]
    public void Loads_for_cpumap_entries_with_a_zeroed_per_cpu_counter(XdpAction action)
    {
        Kernel.RequireBpf();
        using var counter = RemoteCpuCounter.Load(action);

        Assert.Equal(action, counter.Action);
        Assert.Equal(BpfAttachType.XdpCpumap, counter.Program.LoadAttributes!.ExpectedAttachType);
        Assert.Equal((BpfMapType.PercpuArray, 8u), (counter.RemotePackets.Type, counter.RemotePackets.ValueSize));
        Assert.Equal(CpuList.Possible[^1] + 1, counter.ReadCounts().Count);
        Assert.Equal(0ul, counter.ReadTotal());
    }

    [Fact]
    public void Reset_zeroes_every_cpu()
    {
        Kernel.RequireBpf();
        using var counter = RemoteCpuCounter.Load();
        var values = new byte[counter.RemotePackets.ValueBufferSize];
        Array.Fill(values, (byte)1);
        Bpf.MapUpdateElem(counter.RemotePackets, BitConverter.GetBytes(0u), values);
        Assert.Equal((ulong)CpuList.Possible.Count * 0x0101010101010101ul, counter.ReadTotal());

        counter.Reset();
        Assert.Equal(0ul, counter.ReadTotal());
    }

    [Fact]
    public void Wait_returns_at_the_timeout_when_frames_never_come()
    {
        Kernel.RequireBpf();
        using var counter = RemoteCpuCounter.Load();
        Assert.Equal(0ul, counter.WaitForTotal(1, TimeSpan.FromMilliseconds(20)).Aggregate(0ul, (a, b) => a + b));
        Assert.Throws<ArgumentOutOfRangeException>(() => counter.WaitForTotal(1, TimeSpan.FromSeconds(-1)));
    }

    [Theory]
    [InlineData(XdpAction.Tx)]
    [InlineData(XdpAction.Redirect)]
    public void Refuses_an_action_a_counting_program_cannot_end_with(XdpAction action)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => RemoteCpuCounter.Load(action));
        Assert.Equal("action", e.ParamName);
    }
}
