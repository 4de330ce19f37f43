namespace CpuMap.Managed.Syscalls.Netlink;

/// <summary>nlmsghdr flags (kernel: NLM_F_* in linux/netlink.h). NEW requests and GET requests reuse the same bits.</summary>
[Flags]
public enum NetlinkFlags : ushort
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>NLM_F_REQUEST: a request to the kernel.</summary>
    Request = 0x1,
    /// <summary>NLM_F_MULTI: one part of a multipart reply that NLMSG_DONE ends.</summary>
    Multi = 0x2,
    /// <summary>NLM_F_ACK: reply with an NLMSG_ERROR even on success.</summary>
    Ack = 0x4,
    /// <summary>NLM_F_ECHO: send the request back.</summary>
    Echo = 0x8,
    /// <summary>In an NLMSG_ERROR reply: the request was not copied back (NETLINK_CAP_ACK).</summary>
    Capped = 0x100,
    /// <summary>In an NLMSG_ERROR reply: extended-ack attributes (NLMSGERR_ATTR_*) follow.</summary>
    AckTlvs = 0x200,
    /// <summary>NLM_F_DUMP (NLM_F_ROOT | NLM_F_MATCH), on GET requests: return every object.</summary>
    Dump = 0x300,
    /// <summary>NLM_F_REPLACE, on NEW requests: replace an existing object.</summary>
    Replace = 0x100,
    /// <summary>NLM_F_EXCL, on NEW requests: fail when the object exists.</summary>
    Excl = 0x200,
    /// <summary>NLM_F_CREATE, on NEW requests: create the object when it does not exist.</summary>
    Create = 0x400,
}
