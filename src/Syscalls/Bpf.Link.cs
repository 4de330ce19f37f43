using CpuMap.Managed.Syscalls.Xdp;

namespace CpuMap.Managed.Syscalls;

public static unsafe partial class Bpf
{
    /// <summary>
    /// BPF_LINK_CREATE: attaches <paramref name="prog"/> to <paramref name="target"/> (for
    /// <see cref="BpfAttachType.Xdp"/>: a network device's ifindex). Closing the link detaches.
    /// </summary>
    /// <param name="prog">The program to attach.</param>
    /// <param name="target">target_fd or target_ifindex, as the attach type needs.</param>
    /// <param name="attachType">The attach type, e.g. <see cref="BpfAttachType.Xdp"/>.</param>
    /// <param name="flags">Attach-type specific flags (for XDP, <see cref="LinkCreateXdp"/> encodes the mode).</param>
    public static LinkFd LinkCreate(ProgFd prog, int target, BpfAttachType attachType, uint flags = 0)
    {
        if (target <= 0)
            throw new ArgumentOutOfRangeException(nameof(target), target,
                "The link target is an ifindex or fd above 0; look an interface's index up in /sys/class/net/DEV/ifindex.");
        var added = false;
        int fd;
        try
        {
            var attr = new LinkCreateAttr
            {
                ProgFd = BpfFd.AddRef(prog, ref added, nameof(prog)),
                TargetFd = target,
                AttachType = attachType,
                Flags = flags,
            };
            fd = Interop.Bpf(BpfCommand.LinkCreate, ref attr);
        }
        finally
        {
            if (added)
                prog.DangerousRelease();
        }
        if (fd < 0)
        {
            var errno = Errno.Last;
            BpfErrors.Throw(BpfCommand.LinkCreate, errno, $"(target {target}, {KernelNames.Of(attachType)}) {BpfErrors.Hint(BpfCommand.LinkCreate, errno)}");
        }
        return AdoptLink(fd);
    }

    /// <summary>XDP through BPF_LINK_CREATE: attaches <paramref name="prog"/> to the device with <paramref name="ifindex"/> in <paramref name="mode"/>.</summary>
    public static LinkFd LinkCreateXdp(ProgFd prog, int ifindex, XdpMode mode = XdpMode.Auto)
        => LinkCreate(prog, ifindex, BpfAttachType.Xdp, (uint)mode.ToFlags());

    /// <summary>BPF_LINK_DETACH: detaches the link's program now; the fd stays open until disposed.</summary>
    public static void LinkDetach(LinkFd link)
    {
        var added = false;
        try
        {
            var attr = new LinkDetachAttr { LinkFd = BpfFd.AddRef(link, ref added, nameof(link)) };
            if (Interop.Bpf(BpfCommand.LinkDetach, ref attr) < 0)
                BpfErrors.Throw(BpfCommand.LinkDetach, Errno.Last);
        }
        finally
        {
            if (added)
                link.DangerousRelease();
        }
    }

    internal static LinkFd AdoptLink(int fd)
    {
        try
        {
            var info = default(BpfLinkInfo);
            GetInfo(fd, ref info);
            return new LinkFd(fd, info.Id);
        }
        catch
        {
            Interop.Close(fd);
            throw;
        }
    }
}
