namespace CpuMap.Managed.Syscalls.Netlink;

/// <summary>The attribute numbers this library reads and writes (linux/if_link.h, if_addr.h, veth.h, netlink.h).</summary>
internal static class Ifla
{
    public const ushort IFLA_ADDRESS = 1, IFLA_IFNAME = 3, IFLA_MTU = 4, IFLA_LINK = 5, IFLA_LINKINFO = 18,
        IFLA_NET_NS_PID = 19, IFLA_NET_NS_FD = 28, IFLA_XDP = 43;

    public const ushort IFLA_INFO_KIND = 1, IFLA_INFO_DATA = 2;

    public const ushort VETH_INFO_PEER = 1;

    public const ushort IFLA_XDP_FD = 1, IFLA_XDP_ATTACHED = 2, IFLA_XDP_FLAGS = 3, IFLA_XDP_PROG_ID = 4,
        IFLA_XDP_DRV_PROG_ID = 5, IFLA_XDP_SKB_PROG_ID = 6, IFLA_XDP_HW_PROG_ID = 7, IFLA_XDP_EXPECTED_FD = 8;

    public const ushort IFA_ADDRESS = 1, IFA_LOCAL = 2;

    public const ushort NLMSGERR_ATTR_MSG = 1, NLMSGERR_ATTR_OFFS = 2;

    /// <summary>NLA_F_NESTED: set on nested attributes; strict kernels validate it for IFLA_XDP.</summary>
    public const ushort NLA_F_NESTED = 1 << 15;

    public const ushort NLA_TYPE_MASK = unchecked((ushort)~((1 << 15) | (1 << 14)));

    public const uint IFF_UP = 1;

    public const byte AF_UNSPEC = 0, AF_INET = 2;
}
