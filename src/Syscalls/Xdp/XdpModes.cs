namespace CpuMap.Managed.Syscalls.Xdp;

/// <summary><see cref="XdpMode"/> to its wire encoding, the XDP_FLAGS_*_MODE flag of BPF_LINK_CREATE and IFLA_XDP_FLAGS.</summary>
internal static class XdpModes
{
    public static XdpAttachFlags ToFlags(this XdpMode mode) => mode switch
    {
        XdpMode.Auto => XdpAttachFlags.None,
        XdpMode.Skb => XdpAttachFlags.SkbMode,
        XdpMode.Native => XdpAttachFlags.DrvMode,
        XdpMode.Offload => XdpAttachFlags.HwMode,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Use XdpMode.Auto, Skb, Native or Offload."),
    };
}
