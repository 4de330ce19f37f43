using CpuMap.Managed.Syscalls.Netlink;

namespace CpuMap.Managed.Syscalls.Xdp;

/// <summary>
/// An XDP program attached to a device by <see cref="Attach(int, ProgFd, XdpMode, XdpAttachMethod, NetworkNamespace?)"/>.
/// Dispose detaches it: a link is closed; a netlink attachment is removed only while it is still
/// this program (IFLA_XDP_EXPECTED_FD), so a program someone attached since is left alone. A
/// netlink attachment keeps a reference to the program's fd for that, until it is disposed.
/// </summary>
/// <remarks>
/// Keep the attachment referenced for as long as the program should stay attached: a link
/// attachment that is garbage-collected closes its link fd in the finalizer, which detaches.
/// </remarks>
public sealed partial class XdpAttachment : IDisposable
{
    private readonly ProgFd _prog;
    private readonly RtNetlink? _rtnl;
    private readonly bool _ownsRtnl;
    private bool _progAdded;
    private bool _disposed;

    internal XdpAttachment(int ifindex, string deviceName, ProgFd prog, XdpMode mode, LinkFd? link, RtNetlink? rtnl, bool ownsRtnl)
    {
        Ifindex = ifindex;
        DeviceName = deviceName;
        Mode = mode;
        Link = link;
        ProgId = prog.Id;
        _prog = prog;
        _rtnl = rtnl;
        _ownsRtnl = ownsRtnl;
        if (link is null)
            prog.DangerousAddRef(ref _progAdded); // the netlink detach names this program as the expected one
    }

    /// <summary>The device's interface index.</summary>
    public int Ifindex { get; }

    /// <summary>The device's name.</summary>
    public string DeviceName { get; }

    /// <summary>The mode asked for (<see cref="XdpMode.Auto"/> lets the kernel pick; query <see cref="Query(int, NetworkNamespace?)"/> for the result).</summary>
    public XdpMode Mode { get; }

    /// <summary>The ID of the attached program.</summary>
    public uint ProgId { get; }

    /// <summary>The BPF link, or null when attached through netlink. Pin it to keep the program attached after this process.</summary>
    public LinkFd? Link { get; }

    /// <summary>Whether the program is attached through a BPF link or netlink.</summary>
    public XdpAttachMethod Method => Link is null ? XdpAttachMethod.Netlink : XdpAttachMethod.Link;

    /// <summary>Detaches (see the type's remarks). Safe to call twice.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        try
        {
            if (Link is not null)
            {
                Link.Dispose();
                return;
            }
            try
            {
                _rtnl!.SetLinkXdp(Ifindex, null, Mode, expected: _prog);
            }
            catch (NetlinkException e) when (e.Errno is Errno.EEXIST or Errno.ENODEV or Errno.ENOENT)
            {
                // Someone replaced it, or the device is gone: nothing of ours is left to detach.
            }
        }
        finally
        {
            if (_progAdded)
                _prog.DangerousRelease();
            if (_ownsRtnl)
                _rtnl!.Dispose();
        }
    }

    /// <inheritdoc/>
    public override string ToString()
        => $"XDP program id {ProgId} on {DeviceName} (ifindex {Ifindex}), {KernelNames.Of(Mode)} mode, via {(Link is null ? "netlink" : $"BPF link id {Link.Id}")}";
}
