using System.Runtime.InteropServices;
using CpuMap.Managed.Loader;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Netlink;
using CpuMap.Managed.Syscalls.Xdp;
using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>
/// The remote action redirect in the real kernel: frames enter the redirect on one veth pair, the remote CPUs send them
/// out of a second pair through the DEVMAP, and an XDP program on that pair's peer counts what arrives.
/// </summary>
public sealed class RemoteDeviceRedirectTests
{
    private const uint Frames = 1000;

    [Theory]
    [InlineData(null)]
    [InlineData(RemoteDeviceRedirect.EgressPass)]
    [InlineData("object")]
    public void Frames_sent_into_one_veth_leave_the_second_and_arrive_at_its_peer(string? egress)
    {
        Kernel.RequireBpf();
        if (egress == "object")
            egress = RemoteObjectProgramTests.CompileRemotePrograms() + ":egress_count";
        using var net = new TwoVethPairs();
        using var rss = net.Netns.Run(() => SoftwareRss.Load(new SoftwareRssOptions
        {
            Mode = RssMode.FlowHash,
            Remote = SoftwareRssOptions.RemoteRedirect,
            RedirectDevice = TwoVethPairs.Out,
            Egress = egress,
        }));
        rss.Attach(TwoVethPairs.In, XdpMode.Native, net.Netns);
        var sendOut = rss.DeviceRedirect!;
        Assert.Equal(net.OutIndex, sendOut.Ifindex);
        Assert.Equal(BpfAttachType.XdpCpumap, sendOut.Program.LoadAttributes!.ExpectedAttachType);
        Assert.All(rss.Redirect.CpuMap.Entries(), entry => Assert.Equal(sendOut.Program.Id, entry.ProgId));
        // The kernel's view of the DEVMAP entry: the device, and the egress program's id (0 for none).
        Span<byte> value = stackalloc byte[8];
        Assert.True(Bpf.MapLookupElem(sendOut.TxPort, BitConverter.GetBytes(0u), value));
        Assert.Equal(net.OutIndex, MemoryMarshal.Read<int>(value));
        Assert.Equal(sendOut.EgressProgram?.Id ?? 0, MemoryMarshal.Read<uint>(value[4..]));

        for (var flow = 0; flow < 10; flow++)
            net.Netns.Run(() => LiveFrames.Send(rss.Redirect.Program, EthernetFrame.Udp((ushort)(2000 + flow)), Frames / 10, 64, net.InIndex));

        Eventually.True(() => net.PeerCount() >= Frames, $"{Frames} frames to arrive at {TwoVethPairs.OutPeer} (seen {net.PeerCount()})");
        Assert.Equal(Frames, net.PeerCount());
        Assert.Equal(Frames, rss.ReadDelivered().Aggregate(0ul, (a, b) => a + b));
        var redirect = rss.ReadCounters().RedirectTotal;
        Assert.Equal((ulong)Frames, redirect.Redirected);
        if (egress == RemoteDeviceRedirect.EgressPass)
            Assert.Equal(Frames, sendOut.ReadEgressCounts().Aggregate(0ul, (a, b) => a + b));
        else if (egress is not null)
            Assert.Equal(Frames, SumPerCpu(sendOut.EgressObject!.Collection.GetMap("egress_seen").Fd));
        else
            Assert.Throws<InvalidOperationException>(sendOut.ReadEgressCounts);
    }

    [Fact]
    public void Disposing_removes_the_devmap_and_the_programs()
    {
        Kernel.RequireBpf();
        using var net = new TwoVethPairs();
        uint txPort, remote, egress;
        using (var rss = net.Netns.Run(() => SoftwareRss.Load(new SoftwareRssOptions
        {
            Remote = SoftwareRssOptions.RemoteRedirect, RedirectDevice = TwoVethPairs.Out, Egress = RemoteDeviceRedirect.EgressPass,
        })))
        {
            rss.Attach(TwoVethPairs.In, XdpMode.Native, net.Netns);
            (txPort, remote, egress) = (rss.DeviceRedirect!.TxPort.Id, rss.DeviceRedirect.Program.Id, rss.DeviceRedirect.EgressProgram!.Id);
        }
        Eventually.True(() => !MapExists(txPort), $"DEVMAP id {txPort} to be freed");
        Eventually.True(() => !ProgExists(remote), $"remote program id {remote} to be freed");
        Eventually.True(() => !ProgExists(egress), $"egress program id {egress} to be freed");
    }

    [Fact]
    public void Bad_redirect_options_name_the_input_and_the_fix()
    {
        var noDevice = Assert.Throws<ArgumentException>(() => new SoftwareRssOptions { Remote = SoftwareRssOptions.RemoteRedirect }.Validate());
        Assert.Equal("RedirectDevice", noDevice.ParamName);
        Assert.Contains("sends frames out of another device, and none is named", noDevice.Message);
        var deviceWithoutRedirect = Assert.Throws<ArgumentException>(() => new SoftwareRssOptions { RedirectDevice = "eth1" }.Validate());
        Assert.Contains("A redirect device ('eth1') is only for the remote action redirect, and the remote action is 'pass'", deviceWithoutRedirect.Message);
        var egressWithoutRedirect = Assert.Throws<ArgumentException>(() => new SoftwareRssOptions { Remote = "drop", Egress = "pass" }.Validate());
        Assert.Contains("An egress program ('pass') runs in the DEVMAP entry of the remote action redirect, and the remote action is 'drop'", egressWithoutRedirect.Message);
        var badEgress = Assert.Throws<ArgumentException>(() =>
            new SoftwareRssOptions { Remote = "redirect", RedirectDevice = "eth1", Egress = "count" }.Validate());
        Assert.Equal("egress", badEgress.ParamName);
        Assert.Contains("The egress program 'count' is neither 'pass' (count, then send) nor FILE.o:PROGRAM", badEgress.Message);
        Assert.Contains("object file '/nonexistent/e.o', which does not exist",
            Assert.Throws<ArgumentException>(() => RemoteDeviceRedirect.CheckEgress("/nonexistent/e.o:egress")).Message);
        Assert.Contains("The demo redirects out of a veth pair of its own (cpumap2), not 'eth1'", Assert.Throws<ArgumentException>(() =>
            new DemoOptions { Rss = new SoftwareRssOptions { Remote = "redirect", RedirectDevice = "eth1" } }.Validate()).Message);
        Assert.Contains("must be 'pass', 'drop' or 'redirect'", Assert.Throws<ArgumentException>(() =>
            new DemoOptions { Rss = new SoftwareRssOptions { Remote = "/x.o:prog" } }.Validate()).Message);
    }


    internal static ulong SumPerCpu(MapFd map)
    {
        var buffer = new byte[map.ValueBufferSize];
        Assert.True(Bpf.MapLookupElem(map, BitConverter.GetBytes(0u), buffer));
        return MemoryMarshal.Cast<byte, ulong>(buffer).ToArray().Aggregate(0ul, (a, b) => a + b);
    }

    internal static bool MapExists(uint id)
    {
        try
        {
            Bpf.MapGetFdById(id).Dispose();
            return true;
        }
        catch (BpfException e) when (e.Errno == Errno.ENOENT)
        {
            return false;
        }
    }

    internal static bool ProgExists(uint id)
    {
        try
        {
            Bpf.ProgGetFdById(id).Dispose();
            return true;
        }
        catch (BpfException e) when (e.Errno == Errno.ENOENT)
        {
            return false;
        }
    }
}
