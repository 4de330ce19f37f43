using CpuMap.Managed.Syscalls.Netlink;
using CpuMap.Managed.Syscalls.Xdp;
using CpuMap.Managed.Testing;
using static CpuMap.Managed.Syscalls.Tests.TestPrograms;

namespace CpuMap.Managed.Syscalls.Tests;

public class XdpAttachTests
{
    [Theory]
    [InlineData(XdpMode.Skb, XdpMode.Skb)]
    [InlineData(XdpMode.Native, XdpMode.Native)]
    [InlineData(XdpMode.Auto, XdpMode.Native)] // veth has native XDP, so the kernel picks it
    public void Link_attach_is_reported_refuses_a_second_program_and_detaches_on_dispose(XdpMode mode, XdpMode reported)
    {
        Kernel.RequireBpf();
        using var veth = new XdpTestVeth();
        using var prog = LoadXdp();
        using var other = LoadXdp(XdpAction.Drop);
        using (var attachment = XdpAttachment.Attach(veth.Ifindex, prog, mode, netns: veth.Namespace))
        {
            Assert.Equal(XdpAttachMethod.Link, attachment.Method);
            Assert.NotNull(attachment.Link);
            Assert.Equal((veth.Ifindex, veth.Name, prog.Id, mode), (attachment.Ifindex, attachment.DeviceName, attachment.ProgId, attachment.Mode));
            var info = veth.Xdp;
            Assert.Equal(((XdpMode?)reported, prog.Id), (info.Mode, info.ProgId));
            Assert.Equal(info, XdpAttachment.Query(veth.Name, veth.Namespace));
            Assert.Equal((uint)veth.Ifindex, Bpf.ObjGetInfoByFd(attachment.Link).XdpIfindex);

            foreach (var method in new[] { XdpAttachMethod.Link, XdpAttachMethod.Netlink })
            {
                var second = Assert.Throws<XdpAttachException>(() => XdpAttachment.Attach(veth.Ifindex, other, mode, method, veth.Namespace));
                Assert.Contains($"{veth.Name} already has an XDP program ({info})", second.Message);
                Assert.Contains("XdpAttachment.Replace", second.Message);
                Assert.Equal((veth.Ifindex, veth.Name), (second.Ifindex, second.DeviceName));
            }

            // A link is not netlink's to remove: the kernel refuses, and the message says whose it is.
            var detach = Assert.Throws<XdpAttachException>(() => XdpAttachment.Detach(veth.Ifindex, XdpMode.Auto, veth.Namespace));
            Assert.Equal(Errno.EBUSY, detach.Errno);
            Assert.Contains("BPF link", detach.Message);
            Assert.Equal(prog.Id, veth.Xdp.ProgId);
        }
        // Closing our link fd detaches at once unless another process holds the link for a moment (tools and parallel tests
        // that walk every link by id take a reference): the kernel releases it when the last one goes.
        Eventually.True(() => !veth.Xdp.IsAttached, $"the kernel to release the XDP link on {veth.Name} once its fds were closed");
    }

    [Theory]
    [InlineData(XdpMode.Skb, XdpMode.Skb)]
    [InlineData(XdpMode.Native, XdpMode.Native)]
    public void Netlink_attach_replaces_only_the_expected_program_and_detaches(XdpMode mode, XdpMode reported)
    {
        Kernel.RequireBpf();
        using var veth = new XdpTestVeth();
        using var first = LoadXdp();
        using var second = LoadXdp(XdpAction.Pass);
        using var stranger = LoadXdp(XdpAction.Drop);
        var attachment = XdpAttachment.Attach(veth.Ifindex, first, mode, XdpAttachMethod.Netlink, veth.Namespace);
        try
        {
            Assert.Equal((XdpAttachMethod.Netlink, (LinkFd?)null), (attachment.Method, attachment.Link));
            Assert.Equal(new XdpInfo(reported == XdpMode.Native ? first.Id : 0, reported == XdpMode.Skb ? first.Id : 0, 0), veth.Xdp);

            var wrong = Assert.Throws<XdpAttachException>(() => XdpAttachment.Replace(veth.Ifindex, second, expected: stranger, mode, veth.Namespace));
            Assert.Equal(Errno.EEXIST, wrong.Errno);
            Assert.Contains($"not the expected one (program id {stranger.Id})", wrong.Message);
            Assert.Contains("Nothing was changed", wrong.Message);
            var kernel = Assert.IsType<NetlinkException>(wrong.InnerException);
            Assert.NotNull(kernel.KernelMessage);
            Assert.Contains(kernel.KernelMessage, wrong.Message);
            Assert.Equal(first.Id, veth.Xdp.ProgId);                       // nothing changed

            XdpAttachment.Replace(veth.Ifindex, second, expected: first, mode, veth.Namespace);
            Assert.Equal(((XdpMode?)reported, second.Id), (veth.Xdp.Mode, veth.Xdp.ProgId));

            // The attachment detaches only its own program, and this one was replaced: nothing happens.
            attachment.Dispose();
            Assert.Equal(second.Id, veth.Xdp.ProgId);

            XdpAttachment.Detach(veth.Name, mode, veth.Namespace);
            Assert.False(veth.Xdp.IsAttached);
            XdpAttachment.Detach(veth.Ifindex, XdpMode.Auto, veth.Namespace); // nothing attached: no error
        }
        finally
        {
            attachment.Dispose();
        }
    }

    [Fact]
    public void Raw_setlink_xdp_replaces_unless_update_if_noexist_and_detaches_with_no_program()
    {
        Kernel.RequireBpf();
        using var veth = new XdpTestVeth();
        using var first = LoadXdp();
        using var second = LoadXdp();
        try
        {
            veth.Rtnl.SetLinkXdp(veth.Ifindex, first, XdpMode.Skb);
            veth.Rtnl.SetLinkXdp(veth.Ifindex, second, XdpMode.Skb);          // plain netlink replaces silently
            Assert.Equal(second.Id, veth.Xdp.SkbProgId);
            var busy = Assert.Throws<NetlinkException>(() =>
                veth.Rtnl.SetLinkXdp(veth.Ifindex, first, XdpMode.Skb, updateIfNoexist: true));
            Assert.Equal((RtmType.SetLink, Errno.EBUSY), (busy.Request, busy.Errno));
            BpfOperationException root = busy;
            Assert.Equal(("RTM_SETLINK", Errno.EBUSY), (root.Operation, root.Errno));
            Assert.Equal("XDP program already attached", busy.KernelMessage);
            Assert.StartsWith("RTM_SETLINK failed with EBUSY (Device or resource busy), the kernel says \"XDP program already attached\": ", busy.Message);
            Assert.Equal(second.Id, veth.Xdp.SkbProgId);
            veth.Rtnl.SetLinkXdp(veth.Ifindex, null, XdpMode.Skb);
            Assert.Equal(default, veth.Xdp);
        }
        finally
        {
            veth.Rtnl.SetLinkXdp(veth.Ifindex, null, XdpMode.Skb);
        }
    }

    [Fact]
    public void Netlink_attachment_dispose_detaches_its_program_and_survives_a_closed_prog_fd()
    {
        Kernel.RequireBpf();
        using var veth = new XdpTestVeth();
        var prog = LoadXdp();
        var attachment = XdpAttachment.Attach(veth.Name, prog, XdpMode.Skb, XdpAttachMethod.Netlink, veth.Namespace);
        Assert.Equal(prog.Id, veth.Xdp.SkbProgId);
        prog.Dispose();                                                     // the device keeps the program
        Assert.Equal(attachment.ProgId, veth.Xdp.SkbProgId);
        attachment.Dispose();
        attachment.Dispose();
        Assert.False(veth.Xdp.IsAttached);
    }

    [Fact]
    public void Generic_and_native_cannot_be_active_together()
    {
        Kernel.RequireBpf();
        using var veth = new XdpTestVeth();
        using var prog = LoadXdp();
        using var skb = XdpAttachment.Attach(veth.Ifindex, prog, XdpMode.Skb, XdpAttachMethod.Netlink, veth.Namespace);
        var native = Assert.Throws<XdpAttachException>(() => XdpAttachment.Attach(veth.Ifindex, prog, XdpMode.Native, XdpAttachMethod.Netlink, veth.Namespace));
        Assert.Equal(Errno.EEXIST, native.Errno);
        Assert.Contains("Native and generic XDP can't be active at the same time", native.Message);   // the kernel's extended ack
        Assert.Contains($"native and generic XDP cannot be active together, and {veth.Name} has XDP skb program id {prog.Id}", native.Message);
    }

    [Fact]
    public void Kernel_refusals_say_why_and_what_to_do()
    {
        Kernel.RequireBpf();
        using var veth = new XdpTestVeth();
        using var cpumapProg = LoadXdp(expectedAttachType: BpfAttachType.XdpCpumap);
        foreach (var method in new[] { XdpAttachMethod.Link, XdpAttachMethod.Netlink })
        {
            var wrongType = Assert.Throws<XdpAttachException>(() => XdpAttachment.Attach(veth.Ifindex, cpumapProg, XdpMode.Skb, method, veth.Namespace));
            Assert.Equal(Errno.EINVAL, wrongType.Errno);
            Assert.Contains("BPF_XDP_CPUMAP", wrongType.Message);
            Assert.Contains(veth.Name, wrongType.Message);
        }
        // Auto: the link's bare EINVAL is followed by netlink, whose extended ack says exactly what is wrong.
        var auto = Assert.Throws<XdpAttachException>(() => XdpAttachment.Attach(veth.Ifindex, cpumapProg, netns: veth.Namespace));
        Assert.Contains("the kernel says \"BPF_XDP_CPUMAP programs can not be attached to a device\"", auto.Message);
        Assert.IsType<NetlinkException>(auto.InnerException);
        using var prog = LoadXdp();
        var offload = Assert.Throws<XdpAttachException>(() => XdpAttachment.Attach(veth.Ifindex, prog, XdpMode.Offload, XdpAttachMethod.Netlink, veth.Namespace));
        Assert.Equal(XdpMode.Offload, offload.Mode);
        Assert.Contains("in offload mode", offload.Message);
        Assert.Contains($"the driver of {veth.Name} (veth) cannot offload", offload.Message);
        Assert.False(veth.Xdp.IsAttached);
    }

    [Fact]
    public void Native_mode_on_a_driver_without_it_says_to_use_generic()
    {
        Kernel.RequireBpf();
        using var ns = NetworkNamespace.CreateAnonymous();
        using var prog = LoadXdp();
        const int lo = 1;                                                 // loopback has no ndo_bpf
        foreach (var method in new[] { XdpAttachMethod.Link, XdpAttachMethod.Netlink })
        {
            var native = Assert.Throws<XdpAttachException>(() => XdpAttachment.Attach(lo, prog, XdpMode.Native, method, ns));
            Assert.Equal((Errno.EOPNOTSUPP, "lo", XdpMode.Native), (native.Errno, native.DeviceName, native.Mode));
            Assert.Contains("the driver of lo (no link kind) has no native XDP: use XdpMode.Skb", native.Message);
        }
        using var generic = XdpAttachment.Attach("lo", prog, XdpMode.Skb, netns: ns);
        Assert.Equal(prog.Id, XdpAttachment.Query("lo", ns).SkbProgId);
    }

    [Fact]
    public void Without_net_admin_the_error_names_the_missing_capability()
    {
        Kernel.RequireBpf();
        using var veth = new XdpTestVeth();
        using var prog = LoadXdp();
        var denied = ThreadCapabilities.Without(Capability.NetAdmin, () => Assert.Throws<XdpAttachException>(
            () => XdpAttachment.Attach(veth.Ifindex, prog, XdpMode.Skb, XdpAttachMethod.Netlink, veth.Namespace)));
        Assert.Equal(Errno.EPERM, denied.Errno);
        Assert.Contains("Attaching XDP needs CAP_NET_ADMIN and CAP_BPF, and this process lacks CAP_NET_ADMIN.", denied.Message);
        Assert.Contains("--cap-add NET_ADMIN", denied.Message);
        Assert.False(veth.Xdp.IsAttached);
    }

    [Fact]
    public void Refuses_bad_input()
    {
        Kernel.RequireBpf();
        using var veth = new XdpTestVeth();
        using var prog = LoadXdp();
        foreach (var index in new[] { 0, -1 })
        {
            Assert.Equal("ifindex", Assert.Throws<ArgumentOutOfRangeException>(() => XdpAttachment.Attach(index, prog)).ParamName);
            Assert.Equal("ifindex", Assert.Throws<ArgumentOutOfRangeException>(() => XdpAttachment.Query(index)).ParamName);
            Assert.Equal("ifindex", Assert.Throws<ArgumentOutOfRangeException>(() => XdpAttachment.Detach(index)).ParamName);
            Assert.Equal("ifindex", Assert.Throws<ArgumentOutOfRangeException>(() => XdpAttachment.Replace(index, prog, prog)).ParamName);
        }
        // A device that is not there is the machine's state, not a bug of the caller: the root, with the kernel's answer.
        var unknown = Assert.Throws<BpfOperationException>(() => XdpAttachment.Attach(999_999, prog, netns: veth.Namespace));
        Assert.Equal(("RTM_GETLINK", Errno.ENODEV), (unknown.Operation, unknown.Errno));
        Assert.Contains("No network device has ifindex 999999", unknown.Message);
        // The device exists only inside its namespace: looked up from outside, it is unknown by name.
        var outside = Assert.Throws<BpfOperationException>(() => XdpAttachment.Attach(veth.Name, prog));
        Assert.Equal(Errno.ENODEV, outside.Errno);
        Assert.Equal("device", Assert.Throws<ArgumentException>(() => XdpAttachment.Query("", veth.Namespace)).ParamName);
        Assert.Equal("device", Assert.Throws<ArgumentException>(() => XdpAttachment.Detach("no/such", netns: veth.Namespace)).ParamName);
        Assert.Contains($"'{veth.Name}'", outside.Message);
        Assert.Contains("network namespace", outside.Message);
        Assert.Equal("mode", Assert.Throws<ArgumentOutOfRangeException>(() => XdpAttachment.Attach(veth.Ifindex, prog, (XdpMode)99, netns: veth.Namespace)).ParamName);
        Assert.Equal("method", Assert.Throws<ArgumentOutOfRangeException>(() => XdpAttachment.Attach(veth.Ifindex, prog, XdpMode.Skb, (XdpAttachMethod)7, veth.Namespace)).ParamName);
        Assert.Equal("prog", Assert.Throws<ArgumentNullException>(() => XdpAttachment.Attach(veth.Ifindex, null!, netns: veth.Namespace)).ParamName);
        Assert.Equal("expected", Assert.Throws<ArgumentNullException>(() => XdpAttachment.Replace(veth.Ifindex, prog, null!, netns: veth.Namespace)).ParamName);

        var closed = LoadXdp();
        closed.Dispose();
        Assert.Equal("prog", Assert.Throws<ObjectDisposedException>(() => XdpAttachment.Attach(veth.Ifindex, closed, netns: veth.Namespace)).ObjectName);
        Assert.Equal("expected", Assert.Throws<ObjectDisposedException>(() => XdpAttachment.Replace(veth.Ifindex, prog, closed, netns: veth.Namespace)).ObjectName);

        Assert.Equal("mode", Assert.Throws<ArgumentOutOfRangeException>(() => veth.Rtnl.SetLinkXdp(veth.Ifindex, prog, (XdpMode)99)).ParamName);
        Assert.Equal("mode", Assert.Throws<ArgumentOutOfRangeException>(() => Bpf.LinkCreateXdp(prog, veth.Ifindex, (XdpMode)99)).ParamName);
        Assert.False(veth.Xdp.IsAttached);
    }

    [Fact]
    public void Link_attach_is_gone_after_its_process_is_killed()
    {
        Kernel.RequireBpf();
        var nsName = NetlinkTestNames.Next();
        try
        {
            using var veth = new XdpTestVeth(nsName);
            var (holder, progId) = XdpHolderProcess.StartLink(nsName, veth.Ifindex);
            using (holder)
            {
                Assert.Equal(((XdpMode?)XdpMode.Skb, progId), (veth.Xdp.Mode, veth.Xdp.ProgId));
                var shown = Shell.Run("ip", "-n", nsName, "link", "show", veth.Name);
                Assert.Contains("xdpgeneric", shown);
                Assert.Contains($"prog/xdp id {progId}", shown);
                holder.Kill();
                holder.WaitForExit();
            }
            // The last fd closes while the process exits; the kernel releases the link after that.
            Eventually.True(() => !veth.Xdp.IsAttached,
                $"the kernel to release the XDP link on {veth.Name} after its holder process was killed");
        }
        finally
        {
            NetlinkTestNames.AssertNothingLeftBy(nsName);
        }
    }
}
