namespace CpuMap.Managed.Syscalls.Netlink;

/// <summary>nlmsghdr flags (kernel: NLM_F_* in linux/netlink.h). NEW requests and GET requests reuse the same bits.</summary>
[Flags]
public enum NetlinkFlags : ushort
{
    None = 0,
    Request = 0x1,
    Multi = 0x2,
    Ack = 0x4,
    Echo = 0x8,
    /// <summary>In an NLMSG_ERROR reply: the request was not copied back (NETLINK_CAP_ACK).</summary>
    Capped = 0x100,
    /// <summary>In an NLMSG_ERROR reply: extended-ack attributes (NLMSGERR_ATTR_*) follow.</summary>
    AckTlvs = 0x200,
    Dump = 0x300,
    Replace = 0x100,
    Excl = 0x200,
    Create = 0x400,
}
