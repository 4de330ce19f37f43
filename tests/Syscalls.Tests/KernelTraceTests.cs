using CpuMap.Managed.Syscalls.Netlink;
using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Syscalls.Tests;

/// <summary>
/// KernelTrace reports each bpf(2) and netlink request with its attributes and the kernel's answer. Other tests run in
/// parallel in this process and are reported too, so each test picks its own requests out by a name only it uses.
/// </summary>
public sealed class KernelTraceTests
{
    [Fact]
    public void A_map_create_is_reported_with_its_attributes_and_the_fd_the_kernel_gave()
    {
        Kernel.RequireBpf();
        var name = "trace" + Environment.ProcessId % 100000;
        var seen = new List<KernelRequest>();
        MapFd map;
        using (KernelTrace.Listen(r => { lock (seen) seen.Add(r); }))
            map = Bpf.MapCreate(BpfMapType.Cpumap, 4, 8, 2, name: name);
        using (map)
        {
            KernelRequest create;
            lock (seen)
                create = Assert.Single(seen, r => r.Attributes.Contains($"map_name=\"{name}\"", StringComparison.Ordinal));
            Assert.Equal(("bpf", "BPF_MAP_CREATE"), (create.Call, create.Command));
            Assert.Equal($"map_type=BPF_MAP_TYPE_CPUMAP key_size=4 value_size=8 max_entries=2 map_flags=0x0 map_name=\"{name}\"", create.Attributes);
            Assert.Equal(map.Fd, create.Result);
            Assert.Null(create.Error);
            Assert.True(create.Duration > TimeSpan.Zero);
            Assert.StartsWith("bpf(BPF_MAP_CREATE, map_type=BPF_MAP_TYPE_CPUMAP ", create.ToString());
            Assert.Contains($") = {map.Fd}  (", create.ToString());
        }
    }

    [Fact]
    public void A_refused_request_is_reported_with_its_errno_and_the_caller_still_gets_it()
    {
        Kernel.RequireBpf();
        var name = "tracefail" + Environment.ProcessId % 10000;
        var seen = new List<KernelRequest>();
        BpfException refused;
        using (KernelTrace.Listen(r => { lock (seen) seen.Add(r); }))
            refused = Assert.Throws<BpfException>(() => Bpf.MapCreate(BpfMapType.Cpumap, 4, 12, 1, name: name));
        Assert.Equal(Errno.EINVAL, refused.Errno); // the report did not disturb the errno the caller reads
        KernelRequest request;
        lock (seen)
            request = Assert.Single(seen, r => r.Attributes.Contains($"map_name=\"{name}\"", StringComparison.Ordinal));
        Assert.Equal((-1L, (Errno?)Errno.EINVAL), (request.Result, request.Error));
        Assert.Contains("= -1 EINVAL", request.ToString());
    }

    [Fact]
    public void Netlink_requests_are_reported_with_the_device_attributes()
    {
        Kernel.RequireBpf();
        var name = NetlinkTestNames.Next();
        var seen = new List<KernelRequest>();
        using var ns = NetworkNamespace.CreateAnonymous();
        using var rtnl = ns.OpenRtNetlink();
        using (KernelTrace.Listen(r => { lock (seen) seen.Add(r); }))
            rtnl.NewVeth(name, name + "p");
        KernelRequest newLink;
        lock (seen)
            newLink = Assert.Single(seen, r => r.Command == "RTM_NEWLINK" && r.Attributes.Contains($"IFLA_IFNAME=\"{name}\"", StringComparison.Ordinal));
        Assert.Equal("netlink", newLink.Call);
        Assert.Contains("IFLA_LINKINFO={ IFLA_INFO_KIND=\"veth\" IFLA_INFO_DATA={ VETH_INFO_PEER={ IFLA_IFNAME=\"" + name + "p\" } } }", newLink.Attributes);
        Assert.Null(newLink.Error);

        var again = Assert.Throws<NetlinkException>(() =>
        {
            using (KernelTrace.Listen(r => { lock (seen) seen.Add(r); }))
                rtnl.NewVeth(name, name + "q");
        });
        lock (seen)
            Assert.Contains(seen, r => r.Command == "RTM_NEWLINK" && r.Error == Errno.EEXIST && r.Attributes.Contains($"IFLA_IFNAME=\"{name}\"", StringComparison.Ordinal));
        Assert.Equal(Errno.EEXIST, again.Errno);
    }

    [Fact]
    public void After_the_listener_is_disposed_nothing_more_reaches_it()
    {
        Kernel.RequireBpf();
        var name = "traceoff" + Environment.ProcessId % 10000;
        var seen = 0;
        var listening = KernelTrace.Listen(r => { if (r.Attributes.Contains(name, StringComparison.Ordinal)) Interlocked.Increment(ref seen); });
        Bpf.MapCreate(BpfMapType.Array, 4, 4, 1, name: name).Dispose();
        listening.Dispose();
        listening.Dispose(); // twice is harmless
        Bpf.MapCreate(BpfMapType.Array, 4, 4, 1, name: name).Dispose();
        Assert.Equal(1, seen);
        Assert.Throws<ArgumentNullException>(() => KernelTrace.Listen(null!));
    }

    [Fact]
    public void A_listener_that_throws_does_not_cost_the_caller_its_fd()
    {
        Kernel.RequireBpf();
        var heard = 0;
        using (KernelTrace.Listen(_ => throw new InvalidOperationException("a broken listener")))
        using (KernelTrace.Listen(_ => Interlocked.Increment(ref heard)))
        using (var map = Bpf.MapCreate(BpfMapType.Array, 4, 4, 1))
        {
            Assert.False(map.IsInvalid);
            Assert.True(Bpf.ObjGetInfoByFd(map).Id > 0); // the fd the kernel gave is the caller's, and works
        }
        Assert.True(heard > 0); // the listener after the broken one still heard of it
    }
}
