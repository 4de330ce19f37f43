using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Netlink;
using CpuMap.Managed.Syscalls.Xdp;
using CpuMap.Managed.Programs.Redirect;

namespace CpuMap.Managed.Programs;

/// <summary>How <see cref="SoftwareRssDetach.Detach"/> removed the redirect.</summary>
public enum DetachOutcome
{
    /// <summary>The device had no XDP program: nothing to do.</summary>
    NothingAttached,

    /// <summary>A pinned link was detached and its pins removed.</summary>
    PinnedLinkDetached,

    /// <summary>A program attached through netlink was detached.</summary>
    NetlinkDetached,
}

/// <summary>
/// `cpumap detach` as a library call: removes the software-RSS redirect of this project from a device
/// (and only such a redirect: another tool's XDP program is left alone, with an error that says so).
/// </summary>
public static class SoftwareRssDetach
{
    /// <summary>
    /// Detaches the redirect on <paramref name="device"/>: a pinned link (found under
    /// <paramref name="pinDirectory"/>, or anywhere on the BPF filesystem) is detached and its pins
    /// removed; a netlink attachment is removed through netlink. A link held by a running
    /// `cpumap attach` (not pinned) cannot be found from outside: that process must stop.
    /// </summary>
    public static DetachOutcome Detach(string device, string? pinDirectory = null, NetworkNamespace? netns = null)
    {
        using var attached = AttachedRedirect.Open(device, netns);
        var info = attached.Device;
        if (!info.Xdp.IsAttached)
            return DetachOutcome.NothingAttached;
        if (!attached.IsSoftwareRss)
            throw new BpfOperationException("detach software RSS",
                $"{info.Name} has XDP program '{attached.ProgName}' (id {info.Xdp.ProgId}), which is not a software-RSS redirect of cpumap: " +
                $"it was left attached. Remove it with the tool that attached it (or 'ip link set dev {info.Name} xdp off').");
        var pins = pinDirectory is not null ? SoftwareRssPins.Open(pinDirectory) : SoftwareRssPins.Find(info.Index, info.Xdp.ProgId);
        if (pins is not null)
        {
            pins.Detach();
            return DetachOutcome.PinnedLinkDetached;
        }
        try
        {
            XdpAttachment.Detach(info.Index, XdpMode.Auto, netns);
        }
        catch (XdpAttachException e) when (e.Errno is Errno.EBUSY or Errno.EEXIST or Errno.EINVAL)
        {
            throw new BpfOperationException("detach software RSS",
                $"The redirect on {info.Name} (program id {info.Xdp.ProgId}) is held by a BPF link that is not pinned, so only the process " +
                "holding it can detach it: stop that 'cpumap attach' with Ctrl-C (or kill it), and the link goes with it.", innerException: e);
        }
        return DetachOutcome.NetlinkDetached;
    }
}
