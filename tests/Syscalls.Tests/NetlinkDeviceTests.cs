using System.Net;
using CpuMap.Managed.Syscalls.Netlink;
using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Syscalls.Tests;

public class NetlinkDeviceTests
{
    [Fact]
    public void Veth_pair_across_namespaces_comes_up_with_addresses_and_is_deleted()
    {
        Kernel.RequireBpf();
        var name = NetlinkTestNames.Next();
        var nsName = name + "n";
        try
        {
            using var ns = NetworkNamespace.Create(nsName);
            using var rtnl = RtNetlink.Open();
            using var inside = ns.OpenRtNetlink();
            var index = rtnl.NewVeth(name, name + "p", peerNamespace: ns);

            var here = rtnl.GetLink(name);
            Assert.Equal((index, "veth", false), (here.Index, here.Kind, here.IsUp));
            Assert.Equal(here, rtnl.GetLink(index));
            Assert.Equal(index, NetDevice.IndexOf(name));
            Assert.Equal(name, NetDevice.NameOf(index));
            Assert.Null(rtnl.TryGetLink(name + "p"));                       // the peer went into the namespace
            var peer = inside.GetLink(name + "p");
            Assert.Equal("veth", peer.Kind);
            Assert.Equal(peer.Index, ns.Run(() => NetDevice.IndexOf(name + "p")));

            rtnl.SetLinkUp(index);
            inside.SetLinkUp(peer.Index);
            Assert.True(rtnl.GetLink(index).IsUp);
            Assert.True(inside.GetLink(peer.Index).IsUp);
            rtnl.NewAddr(index, IPAddress.Parse("10.231.7.1"), 30);
            inside.NewAddr(peer.Index, IPAddress.Parse("10.231.7.2"), 30);
            Assert.Contains("inet 10.231.7.1/30", Shell.Run("ip", "-4", "addr", "show", "dev", name));
            Assert.Contains("inet 10.231.7.2/30", Shell.Run("ip", "-n", nsName, "-4", "addr", "show", "dev", name + "p"));
            Assert.Contains("state UP", Shell.Run("ip", "-n", nsName, "link", "show", name + "p"));

            var twice = Assert.Throws<NetlinkException>(() => rtnl.NewAddr(index, IPAddress.Parse("10.231.7.1"), 30));
            Assert.Equal((RtmType.NewAddr, Errno.EEXIST), (twice.Request, twice.Errno));
            Assert.Contains("RTM_NEWADDR failed with EEXIST", twice.Message);
            Assert.Contains("already assigned", twice.Message);

            var exists = Assert.Throws<NetlinkException>(() => rtnl.NewVeth(name, NetlinkTestNames.Next()));
            Assert.Equal(Errno.EEXIST, exists.Errno);
            Assert.Contains($"'{name}'", exists.Message);

            rtnl.SetLinkUp(index, up: false);
            Assert.False(rtnl.GetLink(index).IsUp);
            rtnl.DelLink(index);                                              // takes the peer with it
            Assert.Null(rtnl.TryGetLink(name));
            Assert.Null(inside.TryGetLink(name + "p"));
            Assert.Throws<NetlinkException>(() => rtnl.DelLink(name));
        }
        finally
        {
            NetlinkTestNames.AssertNothingLeftBy(name);
        }
    }

    [Fact]
    public void Closing_an_anonymous_namespace_removes_its_devices_and_their_peers()
    {
        Kernel.RequireBpf();
        var name = NetlinkTestNames.Next();
        using var rtnl = RtNetlink.Open();
        using (var ns = NetworkNamespace.CreateAnonymous())
        {
            rtnl.NewVeth(name, name + "p", ns);
            Assert.NotNull(rtnl.TryGetLink(name));
        }
        // The kernel destroys a namespace asynchronously (cleanup_net work): wait for the device to go.
        Eventually.True(() => rtnl.TryGetLink(name) is null,
            $"the kernel to remove '{name}' (whose peer was in the closed namespace) in its namespace cleanup");
        NetlinkTestNames.AssertNothingLeftBy(name);
    }

    [Fact]
    public void Moves_a_device_into_a_namespace_and_deletes_by_name()
    {
        Kernel.RequireBpf();
        var name = NetlinkTestNames.Next();
        try
        {
            using var ns = NetworkNamespace.CreateAnonymous();
            using var rtnl = RtNetlink.Open();
            var index = rtnl.NewVeth(name, name + "p");
            Assert.NotNull(rtnl.TryGetLink(name + "p"));
            rtnl.SetLinkNamespace(rtnl.GetLink(name + "p").Index, ns);
            Assert.Null(rtnl.TryGetLink(name + "p"));
            using var inside = ns.OpenRtNetlink();
            Assert.Equal("veth", inside.GetLink(name + "p").Kind);
            Assert.Equal(index, rtnl.GetLink(name).Index);
            rtnl.DelLink(name);
            Assert.Null(rtnl.TryGetLink(name));
        }
        finally
        {
            NetlinkTestNames.AssertNothingLeftBy(name);
        }
    }

    [Fact]
    public void Dump_spans_several_datagrams()
    {
        Kernel.RequireBpf();
        using var ns = NetworkNamespace.CreateAnonymous();
        using var rtnl = ns.OpenRtNetlink();
        // About 1.5 KiB per device: 60 devices need more than one 32 KiB dump chunk.
        for (var i = 0; i < 30; i++)
            rtnl.NewVeth($"d{i}", $"d{i}p");
        var links = rtnl.GetLinks();
        Assert.Equal(61, links.Count);
        Assert.Equal(links.Count, links.Select(l => l.Index).Distinct().Count());
        Assert.All(links.Where(l => l.Name != "lo"), l => Assert.Equal("veth", l.Kind));
        Assert.Contains(links, l => l.Name == "d29p");

        // A receive buffer smaller than one message grows to fit instead of truncating it.
        using var small = ns.Run(() => RtNetlink.Open(receiveBufferSize: 64));
        Assert.Equal(links.Select(l => (l.Index, l.Name)), small.GetLinks().Select(l => (l.Index, l.Name)));
    }

    [Fact]
    public void Without_net_admin_changes_are_refused_with_a_fix()
    {
        Kernel.RequireBpf();
        using var ns = NetworkNamespace.CreateAnonymous();
        using var rtnl = ns.OpenRtNetlink();
        var denied = ThreadCapabilities.Without(Capability.NetAdmin, () => Assert.Throws<NetlinkException>(() => rtnl.SetLinkUp(1)));
        Assert.Equal(Errno.EPERM, denied.Errno);
        Assert.Contains("CAP_NET_ADMIN", denied.Message);
        Assert.Contains("this process lacks CAP_NET_ADMIN", denied.Message);
        Assert.Contains("setcap cap_net_admin+ep", denied.Message);
    }

    [Fact]
    public void Unknown_devices_are_named_in_the_error()
    {
        Kernel.RequireBpf();
        var missing = NetlinkTestNames.Next();
        using var rtnl = RtNetlink.Open();
        var byName = Assert.Throws<NetlinkException>(() => rtnl.GetLink(missing));
        Assert.Equal((RtmType.GetLink, Errno.ENODEV), (byName.Request, byName.Errno));
        Assert.Contains($"no network device is named '{missing}'", byName.Message);
        var byIndex = Assert.Throws<NetlinkException>(() => rtnl.GetLink(999_999));
        Assert.Contains("ifindex 999999", byIndex.Message);
        Assert.Contains("ifindex 999999", Assert.Throws<NetlinkException>(() => rtnl.SetLinkUp(999_999)).Message);
        Assert.Contains("ifindex 999999", Assert.Throws<NetlinkException>(() => rtnl.DelLink(999_999)).Message);

        var index = Assert.Throws<BpfOperationException>(() => NetDevice.IndexOf(missing));
        Assert.Equal(($"if_nametoindex({missing})", Errno.ENODEV), (index.Operation, index.Errno));
        Assert.Contains($"No network device is named '{missing}'", index.Message);
        Assert.False(NetDevice.TryIndexOf(missing, out _));
        var nameOf = Assert.Throws<BpfOperationException>(() => NetDevice.NameOf(999_999));
        Assert.Equal(Errno.ENXIO, nameOf.Errno);
        Assert.Contains("ifindex 999999", nameOf.Message);
    }

    [Theory]
    [InlineData("", "'' is 0: use a name of 1 to 15 bytes")]
    [InlineData("sixteen-bytes-xx", "'sixteen-bytes-xx' is 16")]
    [InlineData("ünïcödé-ñame", "'ünïcödé-ñame' is 17")]
    [InlineData(".", "'.' is not a valid network device name")]
    [InlineData("a:b", "'a:b' is not a valid network device name: the kernel refuses '.', '..', and names containing '/', ':' or whitespace")]
    [InlineData("a\tb", "is not a valid network device name")]
    public void The_name_rule_is_asked_without_an_exception(string name, string cause)
    {
        Assert.False(NetDevice.IsValidName(name, out var reason));
        Assert.Contains(cause, reason);
        Assert.True(NetDevice.IsValidName("fifteen-bytes-x", out var none));
        Assert.Null(none);
        Assert.Throws<ArgumentNullException>(() => NetDevice.IsValidName(null!, out _));
    }

    [Fact]
    public void Refuses_bad_arguments_before_asking_the_kernel()
    {
        Kernel.RequireBpf();
        using var rtnl = RtNetlink.Open();
        foreach (var bad in new[] { "", "sixteen-bytes-xx", ".", "..", "a/b", "a b", "a:b" })
        {
            Assert.Equal("name", Assert.ThrowsAny<ArgumentException>(() => rtnl.GetLink(bad)).ParamName);
            Assert.Equal("name", Assert.ThrowsAny<ArgumentException>(() => NetDevice.IndexOf(bad)).ParamName);
            Assert.Equal("peerName", Assert.ThrowsAny<ArgumentException>(() => rtnl.NewVeth("cmnok", bad)).ParamName);
        }
        Assert.Contains("1 to 15 bytes", Assert.Throws<ArgumentException>(() => rtnl.GetLink("sixteen-bytes-xx")).Message);
        Assert.Throws<ArgumentNullException>(() => rtnl.GetLink(null!));
        Assert.Equal("peerName", Assert.Throws<ArgumentException>(() => rtnl.NewVeth("cmnsame", "cmnsame")).ParamName);
        foreach (var index in new[] { 0, -1, int.MinValue })
        {
            Assert.Equal("ifindex", Assert.Throws<ArgumentOutOfRangeException>(() => rtnl.GetLink(index)).ParamName);
            Assert.Equal("ifindex", Assert.Throws<ArgumentOutOfRangeException>(() => rtnl.SetLinkUp(index)).ParamName);
            Assert.Equal("ifindex", Assert.Throws<ArgumentOutOfRangeException>(() => rtnl.DelLink(index)).ParamName);
            Assert.Equal("ifindex", Assert.Throws<ArgumentOutOfRangeException>(() => NetDevice.NameOf(index)).ParamName);
        }
        Assert.Equal("address", Assert.Throws<ArgumentException>(() => rtnl.NewAddr(1, IPAddress.IPv6Loopback, 64)).ParamName);
        Assert.Throws<ArgumentNullException>(() => rtnl.NewAddr(1, null!, 8));
        Assert.Equal("prefixLength", Assert.Throws<ArgumentOutOfRangeException>(() => rtnl.NewAddr(1, IPAddress.Loopback, 33)).ParamName);
        Assert.Equal("prefixLength", Assert.Throws<ArgumentOutOfRangeException>(() => rtnl.NewAddr(1, IPAddress.Loopback, -1)).ParamName);
        Assert.Throws<ArgumentNullException>(() => rtnl.SetLinkNamespace(1, null!));
        rtnl.Dispose();
        Assert.Throws<ObjectDisposedException>(() => rtnl.GetLink(1));
    }
}
