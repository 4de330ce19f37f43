using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Testing;

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
    }
}
