using System.Net;
using System.Net.Sockets;
using CpuMap.Managed.Syscalls.Xdp;
using static CpuMap.Managed.Errno;

namespace CpuMap.Managed.Syscalls.Netlink;

/// <summary>
/// An rtnetlink (NETLINK_ROUTE) connection: network devices, addresses and XDP, one method per
/// request, named after the kernel's message. It acts in the network namespace it was opened in
/// (see <see cref="NetworkNamespace.OpenRtNetlink"/>), whatever thread calls it. Requests are
/// serialized; failures throw <see cref="NetlinkException"/> with the kernel's extended ack.
/// </summary>
/// <example>
/// <code>
/// using var ns = NetworkNamespace.CreateAnonymous();
/// using var rtnl = RtNetlink.Open();
/// var veth0 = rtnl.NewVeth("veth0", "veth1", peerNamespace: ns);
/// rtnl.SetLinkUp(veth0);
/// rtnl.NewAddr(veth0, IPAddress.Parse("10.11.0.1"), 24);
/// </code>
/// </example>
public sealed unsafe class RtNetlink : IDisposable
{
    private readonly NetlinkSocket _socket;
    private readonly Lock _lock = new();

    private RtNetlink(NetlinkSocket socket) => _socket = socket;

    /// <summary>Opens an rtnetlink socket in the calling thread's network namespace.</summary>
    public static RtNetlink Open() => new(NetlinkSocket.Open());

    /// <summary>Opens with a first receive buffer of <paramref name="receiveBufferSize"/> bytes (it grows to fit any reply).</summary>
    internal static RtNetlink Open(int receiveBufferSize) => new(NetlinkSocket.Open(receiveBufferSize));

    /// <summary>RTM_GETLINK by index.</summary>
    public NetDeviceInfo GetLink(int ifindex)
    {
        NetDevice.ValidateIndex(ifindex, nameof(ifindex));
        var request = LinkRequest(RtmType.GetLink, NetlinkFlags.None, ifindex);
        return GetOneLink(request, errno => errno == ENODEV
            ? $"no network device has ifindex {ifindex} in this network namespace: list them with 'ip link'."
            : null);
    }

    /// <summary>RTM_GETLINK by name (IFLA_IFNAME).</summary>
    public NetDeviceInfo GetLink(string name)
    {
        NetDevice.ValidateName(name, nameof(name));
        var request = LinkRequest(RtmType.GetLink, NetlinkFlags.None, 0);
        request.PutString(Ifla.IFLA_IFNAME, name);
        return GetOneLink(request, errno => errno == ENODEV
            ? $"no network device is named '{name}' in this network namespace: check the name with 'ip link'."
            : null);
    }

    /// <summary>RTM_GETLINK by name, or null when there is no such device.</summary>
    public NetDeviceInfo? TryGetLink(string name)
    {
        try
        {
            return GetLink(name);
        }
        catch (NetlinkException e) when (e.Errno == ENODEV)
        {
            return null;
        }
    }

    /// <summary>RTM_GETLINK dump: every device in the namespace.</summary>
    public IReadOnlyList<NetDeviceInfo> GetLinks()
    {
        var links = new List<NetDeviceInfo>();
        Transact(LinkRequest(RtmType.GetLink, NetlinkFlags.Dump, 0), (type, payload) =>
        {
            if (type == (ushort)RtmType.NewLink)
                links.Add(NetDeviceInfo.Parse(payload));
        });
        return links;
    }

    /// <summary>
    /// RTM_NEWLINK of kind veth: creates the pair <paramref name="name"/> / <paramref name="peerName"/>,
    /// the peer inside <paramref name="peerNamespace"/> when given (IFLA_NET_NS_FD). Both start down.
    /// </summary>
    /// <returns>The ifindex of <paramref name="name"/> (in this namespace).</returns>
    public int NewVeth(string name, string peerName, NetworkNamespace? peerNamespace = null)
    {
        NetDevice.ValidateName(name, nameof(name));
        NetDevice.ValidateName(peerName, nameof(peerName));
        if (name == peerName && peerNamespace is null)
            throw new ArgumentException($"A veth pair needs two names in one namespace; both are '{name}'.", nameof(peerName));
        var added = false;
        var nsHandle = peerNamespace?.Handle;
        try
        {
            nsHandle?.DangerousAddRef(ref added);
            var request = LinkRequest(RtmType.NewLink, NetlinkFlags.Create | NetlinkFlags.Excl, 0);
            request.PutString(Ifla.IFLA_IFNAME, name);
            var linkInfo = request.BeginNested(Ifla.IFLA_LINKINFO);
            request.PutString(Ifla.IFLA_INFO_KIND, "veth");
            var data = request.BeginNested(Ifla.IFLA_INFO_DATA);
            // VETH_INFO_PEER carries a whole ifinfomsg plus the peer's own attributes.
            var peer = request.BeginNested(Ifla.VETH_INFO_PEER);
            request.Put(new IfInfoMsg { Family = Ifla.AF_UNSPEC });
            request.PutString(Ifla.IFLA_IFNAME, peerName);
            if (nsHandle is not null)
                request.PutS32(Ifla.IFLA_NET_NS_FD, nsHandle.Fd);
            request.EndNested(peer);
            request.EndNested(data);
            request.EndNested(linkInfo);
            Transact(request, hint: errno => errno == EEXIST
                ? $"a network device named '{name}' or '{peerName}' already exists: delete it (RtNetlink.DelLink) or pick other names."
                : null);
        }
        finally
        {
            if (added)
                nsHandle!.DangerousRelease();
        }
        return GetLink(name).Index;
    }

    /// <summary>RTM_DELLINK. Deleting one end of a veth pair deletes both.</summary>
    public void DelLink(int ifindex)
    {
        NetDevice.ValidateIndex(ifindex, nameof(ifindex));
        Transact(LinkRequest(RtmType.DelLink, NetlinkFlags.None, ifindex), hint: errno => errno == ENODEV
            ? $"no network device has ifindex {ifindex} in this network namespace (already deleted?)."
            : null);
    }

    /// <summary>RTM_DELLINK by name.</summary>
    public void DelLink(string name)
    {
        NetDevice.ValidateName(name, nameof(name));
        var request = LinkRequest(RtmType.DelLink, NetlinkFlags.None, 0);
        request.PutString(Ifla.IFLA_IFNAME, name);
        Transact(request, hint: errno => errno == ENODEV
            ? $"no network device is named '{name}' in this network namespace (already deleted?)."
            : null);
    }

    /// <summary>RTM_NEWLINK changing IFF_UP only: `ip link set DEV up` (or down).</summary>
    public void SetLinkUp(int ifindex, bool up = true)
    {
        NetDevice.ValidateIndex(ifindex, nameof(ifindex));
        var request = new NetlinkMessageBuilder(RtmType.NewLink, NetlinkFlags.None);
        request.Put(new IfInfoMsg { Index = ifindex, Flags = up ? Ifla.IFF_UP : 0, Change = Ifla.IFF_UP });
        Transact(request, hint: errno => IndexHint(errno, ifindex));
    }

    /// <summary>RTM_NEWLINK with IFLA_NET_NS_FD: moves the device into <paramref name="target"/> (`ip link set DEV netns NS`).</summary>
    public void SetLinkNamespace(int ifindex, NetworkNamespace target)
    {
        NetDevice.ValidateIndex(ifindex, nameof(ifindex));
        ArgumentNullException.ThrowIfNull(target);
        var handle = target.Handle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var request = LinkRequest(RtmType.NewLink, NetlinkFlags.None, ifindex);
            request.PutS32(Ifla.IFLA_NET_NS_FD, handle.Fd);
            Transact(request, hint: errno => IndexHint(errno, ifindex));
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
    }

    /// <summary>RTM_NEWADDR: assigns an IPv4 address with its prefix length (`ip addr add A/P dev DEV`).</summary>
    public void NewAddr(int ifindex, IPAddress address, int prefixLength)
    {
        NetDevice.ValidateIndex(ifindex, nameof(ifindex));
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException($"Only IPv4 addresses are supported; {address} is {address.AddressFamily}.", nameof(address));
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 32);
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        var request = new NetlinkMessageBuilder(RtmType.NewAddr, NetlinkFlags.Create | NetlinkFlags.Excl);
        request.Put(new IfAddrMsg { Family = Ifla.AF_INET, PrefixLen = (byte)prefixLength, Index = (uint)ifindex });
        request.PutAttr(Ifla.IFA_LOCAL, bytes);
        request.PutAttr(Ifla.IFA_ADDRESS, bytes);
        Transact(request, hint: errno => errno == EEXIST
            ? $"{address}/{prefixLength} is already assigned to ifindex {ifindex}."
            : IndexHint(errno, ifindex));
    }

    /// <summary>
    /// RTM_SETLINK with IFLA_XDP: attaches <paramref name="prog"/> (or detaches, when null) in
    /// <paramref name="mode"/>. With <paramref name="expected"/> (XDP_FLAGS_REPLACE) the kernel swaps only if that
    /// program is the one attached now: IFLA_XDP_EXPECTED_FD. With <paramref name="updateIfNoexist"/>
    /// (XDP_FLAGS_UPDATE_IF_NOEXIST) it refuses with EBUSY when a program is attached already, instead of replacing it.
    /// This attachment outlives the process; detach explicitly.
    /// </summary>
    public void SetLinkXdp(int ifindex, ProgFd? prog, XdpMode mode = XdpMode.Auto, ProgFd? expected = null, bool updateIfNoexist = false)
    {
        NetDevice.ValidateIndex(ifindex, nameof(ifindex));
        var flags = mode.ToFlags();
        if (updateIfNoexist)
            flags |= XdpAttachFlags.UpdateIfNoexist;
        if (expected is not null)
            flags |= XdpAttachFlags.Replace;
        bool progAdded = false, expectedAdded = false;
        try
        {
            var progFd = prog is null ? -1 : BpfFd.AddRef(prog, ref progAdded, nameof(prog));
            var expectedFd = expected is null ? -1 : BpfFd.AddRef(expected, ref expectedAdded, nameof(expected));
            var request = LinkRequest(RtmType.SetLink, NetlinkFlags.None, ifindex);
            var xdp = request.BeginNested(Ifla.IFLA_XDP);
            request.PutS32(Ifla.IFLA_XDP_FD, progFd);
            if (flags != XdpAttachFlags.None)
                request.PutU32(Ifla.IFLA_XDP_FLAGS, (uint)flags);
            if (expected is not null)
                request.PutS32(Ifla.IFLA_XDP_EXPECTED_FD, expectedFd);
            request.EndNested(xdp);
            Transact(request, hint: errno => XdpHint(errno, ifindex, mode, prog is null));
        }
        finally
        {
            if (progAdded)
                prog!.DangerousRelease();
            if (expectedAdded)
                expected!.DangerousRelease();
        }
    }

    /// <summary>The device's XDP state (RTM_GETLINK, IFLA_XDP).</summary>
    public XdpInfo GetLinkXdp(int ifindex) => GetLink(ifindex).Xdp;

    /// <summary>Closes the socket.</summary>
    public void Dispose() => _socket.Dispose();

    private static NetlinkMessageBuilder LinkRequest(RtmType type, NetlinkFlags flags, int ifindex)
    {
        var request = new NetlinkMessageBuilder(type, flags);
        request.Put(new IfInfoMsg { Family = Ifla.AF_UNSPEC, Index = ifindex });
        return request;
    }

    private NetDeviceInfo GetOneLink(NetlinkMessageBuilder request, Func<Errno, string?> hint)
    {
        NetDeviceInfo? found = null;
        Transact(request, (type, payload) =>
        {
            if (type == (ushort)RtmType.NewLink)
                found = NetDeviceInfo.Parse(payload);
        }, hint);
        return found ?? throw new BpfOperationException("RTM_GETLINK", "The kernel acknowledged RTM_GETLINK without sending the device.");
    }

    private void Transact(NetlinkMessageBuilder request, NetlinkSocket.ReplyHandler? onReply = null, Func<Errno, string?>? hint = null)
    {
        lock (_lock)
            _socket.Transact(request, onReply, hint);
    }

    private static string? IndexHint(Errno errno, int ifindex) => errno == ENODEV
        ? $"no network device has ifindex {ifindex} in this network namespace: list them with 'ip link'."
        : null;

    private static string? XdpHint(Errno errno, int ifindex, XdpMode mode, bool detaching) => errno switch
    {
        ENODEV => IndexHint(errno, ifindex),
        EBUSY when detaching => "the program was attached through a BPF link, which netlink cannot remove: close the link's fd " +
            "(or BPF_LINK_DETACH it); find it with 'bpftool link'.",
        EBUSY => "a program is already attached: one held by a BPF link (netlink cannot replace it; its owner must close the link), " +
            "or, with UpdateIfNoexist, any program: detach it first, or replace it by passing the attached program as 'expected'.",
        EEXIST => "another program is attached (in the other mode, or not the expected one): query GetLinkXdp, detach it with SetLinkXdp(ifindex, null, mode), " +
            "or pass the program actually attached as 'expected'.",
        EOPNOTSUPP => mode == XdpMode.Offload
            ? "the driver cannot offload XDP programs (HwMode): use DrvMode or SkbMode."
            : "the driver has no native XDP (DrvMode): use SkbMode (generic XDP), which every device supports.",
        EINVAL => "the kernel refused the XDP attributes: a program that is not BPF_PROG_TYPE_XDP, one loaded for another attach type " +
            "(BPF_XDP_CPUMAP/DEVMAP programs run inside maps, not on devices), or conflicting mode flags.",
        EBADF => "the program fd is not an open BPF program.",
        ENOENT when detaching => "no XDP program is attached in this mode.",
        _ => null,
    };
}
