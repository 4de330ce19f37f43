using System.Runtime.InteropServices;
using CpuMap.Managed.Loader;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Syscalls.Netlink;
using CpuMap.Managed.Syscalls.Xdp;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;
using CpuMap.Managed.Programs.Traffic;

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
    [InlineData("pass")]
    [InlineData("object")]
    public void Frames_sent_into_one_veth_leave_the_second_and_arrive_at_its_peer(string? egress)
    {
        Kernel.RequireBpf();
        EgressAction? action = egress switch
        {
            "pass" => EgressAction.Pass,
            "object" => new EgressAction.UserProgram(new ObjectProgram(RemoteObjectProgramTests.CompileRemotePrograms(), "egress_count")),
            _ => null,
        };
        using var net = new TwoVethPairs();
        using var rss = net.Netns.Run(() => SoftwareRss.Load(new SoftwareRssOptions
        {
            Mode = RssMode.FlowHash,
            Remote = new RemoteAction.Redirect(TwoVethPairs.Out, action),
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
        if (egress == "pass")
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
            Remote = new RemoteAction.Redirect(TwoVethPairs.Out, EgressAction.Pass),
        })))
        {
            rss.Attach(TwoVethPairs.In, XdpMode.Native, net.Netns);
            (txPort, remote, egress) = (rss.DeviceRedirect!.TxPort.Id, rss.DeviceRedirect.Program.Id, rss.DeviceRedirect.EgressProgram!.Id);
        }
        Eventually.True(() => !MapExists(txPort), $"DEVMAP id {txPort} to be freed");
        Eventually.True(() => !ProgExists(remote), $"remote program id {remote} to be freed");
        Eventually.True(() => !ProgExists(egress), $"egress program id {egress} to be freed");
    }

    [Theory]
    [InlineData("", "is 0: use a name of 1 to 15 bytes")]
    [InlineData("name-longer-than-15", "is 19: use a name of 1 to 15 bytes")]
    [InlineData("a:b", "'a:b' is not a valid network device name: the kernel refuses '.', '..', and names containing '/', ':' or whitespace")]
    [InlineData("a b", "'a b' is not a valid network device name")]
    [InlineData("..", "'..' is not a valid network device name")]
    public void A_redirect_device_is_checked_by_the_kernels_rule(string device, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => new RemoteAction.Redirect(device));
        Assert.Equal("device", e.ParamName);
        Assert.Contains(expected, e.Message);
        Assert.False(NetDevice.IsValidName(device, out var reason));
        Assert.StartsWith(reason, e.Message);
        Assert.Throws<ArgumentNullException>(() => new RemoteAction.Redirect(null!));
    }

    [Fact]
    public void Bad_remote_actions_name_the_input_and_the_fix()
    {
        Assert.Equal(("pass", XdpAction.Pass, "drop", XdpAction.Drop), (RemoteAction.Pass.ToString(), RemoteAction.Pass.Then, RemoteAction.Drop.ToString(), RemoteAction.Drop.Then));
        Assert.Equal(RemoteAction.Pass, new RemoteAction.Count(XdpAction.Pass));
        Assert.Contains("passes (XdpAction.Pass) or drops", Assert.Throws<ArgumentOutOfRangeException>(() => new RemoteAction.Count(XdpAction.Redirect)).Message);
        Assert.Throws<ArgumentNullException>(() => new RemoteAction.UserProgram(null!));
        Assert.Throws<ArgumentNullException>(() => new EgressAction.UserProgram(null!));
        Assert.Equal("Remote", Assert.Throws<ArgumentNullException>(() => new SoftwareRssOptions { Remote = null! }.Validate()).ParamName);
        var missingEgress = Assert.Throws<ArgumentException>(() => new SoftwareRssOptions
        {
            Remote = new RemoteAction.Redirect("eth1", new EgressAction.UserProgram(new ObjectProgram("/nonexistent/e.o", "egress"))),
        }.Validate());
        Assert.Equal("Remote", missingEgress.ParamName);
        Assert.Contains("The object file '/nonexistent/e.o' of program 'egress' does not exist", missingEgress.Message);
        Assert.Contains("The demo redirects out of a veth pair of its own (cpumap2), not 'eth1'", Assert.Throws<ArgumentException>(() =>
            new DemoOptions { Rss = new SoftwareRssOptions { Remote = new RemoteAction.Redirect("eth1") } }.Validate()).Message);
        Assert.Contains("must be RemoteAction.Pass, Drop or DemoOptions.RedirectOut", Assert.Throws<ArgumentException>(() =>
            new DemoOptions { Rss = new SoftwareRssOptions { Remote = new RemoteAction.UserProgram(new ObjectProgram("/x.o", "prog")) } }.Validate()).Message);
        new DemoOptions { Rss = new SoftwareRssOptions { Remote = DemoOptions.RedirectOut } }.Validate();
    }

    internal static ulong SumPerCpu(MapFd map) => PerCpuArray<ulong>.Open(map).Get(0).Sum();

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
