using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Traffic;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>Bad input to the traffic source, refused before the kernel is asked.</summary>
public sealed class LiveFramesInputTests
{
    [Fact]
    public void Bad_arguments_name_the_input()
    {
        Kernel.RequireBpf();
        using var redirect = RoundRobinRedirect.Load();
        var frame = EthernetFrame.Udp();

        Assert.Equal("program", Assert.Throws<ArgumentNullException>(() => LiveFrames.Send(null!, frame, 1)).ParamName);
        var shortFrame = Assert.Throws<ArgumentException>(() => LiveFrames.Send(redirect.Program, new byte[13], 1));
        Assert.Equal("frame", shortFrame.ParamName);
        Assert.Contains("13 bytes", shortFrame.Message);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => LiveFrames.Send(redirect.Program, frame, 0)).ParamName);
        Assert.Equal("batchSize", Assert.Throws<ArgumentOutOfRangeException>(() => LiveFrames.Send(redirect.Program, frame, 1, 0)).ParamName);
        Assert.Contains("E2BIG", Assert.Throws<ArgumentOutOfRangeException>(() => LiveFrames.Send(redirect.Program, frame, 1, 257)).Message);
        Assert.Equal("ingressIfindex", Assert.Throws<ArgumentOutOfRangeException>(() => LiveFrames.Send(redirect.Program, frame, 1, 64, -1)).ParamName);
    }

    [Fact]
    public void Frames_arrive_on_the_ingress_device_given()
    {
        Kernel.RequireBpf();
        using var redirect = RoundRobinRedirect.Load(countStats: true);
        redirect.Configure([CpuList.Possible[0]], BpfCpuMapMaxQsize);
        // Loopback is ifindex 1 in every namespace; an index with no device is refused by the kernel.
        LiveFrames.Send(redirect.Program, EthernetFrame.Udp(), 8, 8, ingressIfindex: 1);
        Assert.Equal(8ul, redirect.ReadStats().Aggregate(0ul, (sum, c) => sum + c.Redirected));
        Assert.ThrowsAny<BpfException>(() => LiveFrames.Send(redirect.Program, EthernetFrame.Udp(), 8, 8, ingressIfindex: 999_999));
    }

    private const uint BpfCpuMapMaxQsize = Syscalls.Maps.BpfCpuMap.MaxQsize;
}
