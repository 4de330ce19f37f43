using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Remote;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>The remote action redirect's refusals, with no fd left open: counts fds, so it runs alone.</summary>
[Collection(nameof(FdCounting))]
public sealed class RemoteDeviceRedirectRefusalTests
{
    [Fact]
    public void A_missing_device_or_an_egress_program_of_the_wrong_kind_is_refused_before_anything_stays()
    {
        Kernel.RequireBpf();
        using var net = new TwoVethPairs();
        var fds = FdCount.Bpf();
        var missing = Assert.Throws<BpfOperationException>(() => RemoteDeviceRedirect.Load("nosuchdev0", null, net.Netns));
        Assert.Null(missing.Errno);
        Assert.Contains("No network device is named 'nosuchdev0'", missing.Message);
        Assert.Contains("check the name with 'ip link'", missing.Message);
        var objectPath = RemoteObjectProgramTests.CompileRemotePrograms();
        var cpumapProgram = Assert.Throws<BpfOperationException>(() => RemoteDeviceRedirect.Load(TwoVethPairs.Out, new EgressAction.UserProgram(new ObjectProgram(objectPath, "remote_drop")), net.Netns));
        Assert.Contains("a DEVMAP entry runs only XDP programs loaded with expected attach type BPF_XDP_DEVMAP", cpumapProgram.Message);
        Assert.Contains("SEC(\"xdp/devmap\")", cpumapProgram.Message);
        Assert.Contains("has no program 'nope'", Assert.Throws<BpfOperationException>(() => RemoteDeviceRedirect.Load(TwoVethPairs.Out, new EgressAction.UserProgram(new ObjectProgram(objectPath, "nope")), net.Netns)).Message);
        Assert.Equal(fds, FdCount.Bpf());
    }
}
