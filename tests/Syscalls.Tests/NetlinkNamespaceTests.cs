using CpuMap.Managed.Syscalls.Netlink;
using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Syscalls.Tests;

public class NetlinkNamespaceTests
{
    /// <summary>The calling thread's namespace, as its /proc link names it: "net:[inode]".</summary>
    private static string NetNsLink() => new FileInfo("/proc/thread-self/ns/net").LinkTarget!;

    [Fact]
    public void Anonymous_namespace_is_another_namespace_with_only_loopback()
    {
        Kernel.RequireBpf();
        var outside = NetNsLink();
        using var ns = NetworkNamespace.CreateAnonymous();
        var inside = ns.Run(NetNsLink);
        Assert.StartsWith("net:[", inside);
        Assert.NotEqual(outside, inside);
        Assert.Equal(outside, NetNsLink()); // the calling thread never moved
        Assert.Null(ns.Name);

        using var rtnl = ns.OpenRtNetlink();
        var lo = Assert.Single(rtnl.GetLinks());
        Assert.Equal(("lo", 1), (lo.Name, lo.Index));
        Assert.Equal(1, ns.Run(() => NetDevice.IndexOf("lo")));
        // Unlike `ip netns exec`, no new mount namespace (no /sys remount): bpffs stays reachable inside. The mount
        // namespace's identity says so without reading the mount table, which parallel tests change.
        static string MountNsLink() => new FileInfo("/proc/thread-self/ns/mnt").LinkTarget!;
        Assert.Equal(MountNsLink(), ns.Run(MountNsLink));
    }

    [Fact]
    public void Named_namespace_is_visible_to_ip_and_removed_on_dispose()
    {
        Kernel.RequireBpf();
        var name = NetlinkTestNames.Next();
        try
        {
            using (var ns = NetworkNamespace.Create(name))
            {
                Assert.Equal((name, "/run/netns/" + name), (ns.Name, ns.Path));
                Assert.Contains(name, NetworkNamespace.ListNamed());
                Assert.Contains(name, Shell.Run("ip", "netns", "list"));
                Assert.Contains("lo", Shell.Run("ip", "-n", name, "link", "show"));

                var again = Assert.Throws<BpfOperationException>(() => NetworkNamespace.Create(name));
                Assert.Contains("already exists", again.Message);
                Assert.Contains($"ip netns del {name}", again.Message);

                using var opened = NetworkNamespace.Open(name);
                Assert.Equal(ns.Run(NetNsLink), opened.Run(NetNsLink));
                opened.Dispose(); // closing an opened one leaves the name in place
                Assert.Contains(name, NetworkNamespace.ListNamed());
            }
            Assert.DoesNotContain(name, NetworkNamespace.ListNamed());
            Assert.DoesNotContain(name, Shell.Run("ip", "netns", "list"));
        }
        finally
        {
            NetlinkTestNames.AssertNothingLeftBy(name);
        }
    }

    [Fact]
    public void Delete_removes_the_name_while_an_open_handle_keeps_the_namespace()
    {
        Kernel.RequireBpf();
        var name = NetlinkTestNames.Next();
        try
        {
            NetworkNamespace.Create(name).Dispose();
            Assert.DoesNotContain(name, NetworkNamespace.ListNamed());
            Shell.Run("ip", "netns", "add", name);
            using var opened = NetworkNamespace.Open(name);
            NetworkNamespace.Delete(name);
            Assert.DoesNotContain(name, Shell.Run("ip", "netns", "list"));
            using var rtnl = opened.OpenRtNetlink();                      // still usable through the fd
            Assert.Equal("lo", Assert.Single(rtnl.GetLinks()).Name);
        }
        finally
        {
            NetlinkTestNames.AssertNothingLeftBy(name);
        }
    }

    [Fact]
    public void A_killed_process_leaves_no_anonymous_namespace_and_no_veth_behind()
    {
        Kernel.RequireBpf();
        var name = NetlinkTestNames.Next();
        try
        {
            var (holder, ifindex) = XdpHolderProcess.StartVeth(name);
            using var rtnl = RtNetlink.Open();
            using (holder)
            {
                Assert.Equal(((int)ifindex, "veth"), (rtnl.GetLink(name).Index, rtnl.GetLink(name).Kind));
                holder.Kill();
                holder.WaitForExit();
            }
            // SIGKILL closes the last fd of the namespace; the kernel tears it down (and the veth
            // pair with it) in a work item shortly after.
            Eventually.True(() => rtnl.TryGetLink(name) is null,
                $"the kernel to remove '{name}' after the holder of its peer's namespace was killed");
        }
        finally
        {
            NetlinkTestNames.AssertNothingLeftBy(name);
        }
    }

    [Fact]
    public void Run_returns_results_and_rethrows_on_the_caller()
    {
        Kernel.RequireBpf();
        using var ns = NetworkNamespace.CreateAnonymous();
        Assert.Equal(42, ns.Run(() => 42));
        var thrown = Assert.Throws<InvalidOperationException>(() => ns.Run(() => throw new InvalidOperationException("inside")));
        Assert.Equal("inside", thrown.Message);
        var ran = false;
        ns.Run(() => { ran = true; });
        Assert.True(ran);
    }

    [Fact]
    public void Refuses_bad_input_and_disposed_use()
    {
        Kernel.RequireBpf();
        var missing = NetlinkTestNames.Next();
        var open = Assert.Throws<BpfOperationException>(() => NetworkNamespace.Open(missing));
        Assert.Equal(Errno.ENOENT, open.Errno);
        Assert.Contains($"No network namespace is named '{missing}'", open.Message);
        foreach (var bad in new[] { "", ".", "..", "a/b" })
            Assert.Equal("name", Assert.ThrowsAny<ArgumentException>(() => NetworkNamespace.Create(bad)).ParamName);
        Assert.Throws<ArgumentNullException>(() => NetworkNamespace.Create(null!));
        var delete = Assert.Throws<BpfOperationException>(() => NetworkNamespace.Delete(missing));
        Assert.Null(delete.Errno);
        Assert.Contains($"No network namespace is named '{missing}'", delete.Message);

        var ns = NetworkNamespace.CreateAnonymous();
        Assert.Throws<ArgumentNullException>(() => ns.Run(null!));
        Assert.Throws<ArgumentNullException>(() => ns.Run<int>(null!));
        ns.Dispose();
        ns.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ns.Run(() => 1));
        using var rtnl = RtNetlink.Open();
        Assert.Throws<ObjectDisposedException>(() => rtnl.NewVeth(NetlinkTestNames.Next(), NetlinkTestNames.Next(), ns));
    }
}
