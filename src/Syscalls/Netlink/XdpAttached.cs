namespace CpuMap.Managed.Syscalls.Netlink;

/// <summary>
/// How XDP is attached to a device, as IFLA_XDP_ATTACHED reports it (kernel: XDP_ATTACHED_*): the wire encoding
/// <see cref="XdpInfo"/> turns into per-mode program ids, and so into <see cref="XdpMode"/>.
/// </summary>
internal enum XdpAttached : byte
{
    None = 0,
    /// <summary>Native mode: the driver runs the program.</summary>
    Drv = 1,
    /// <summary>Generic mode: the program runs on the skb, after the driver.</summary>
    Skb = 2,
    /// <summary>Offloaded to the NIC.</summary>
    Hw = 3,
    /// <summary>Programs in more than one mode (e.g. native and offloaded); see the per-mode ids.</summary>
    Multi = 4,
}
