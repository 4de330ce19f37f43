using CpuMap.Managed.Syscalls.Netlink;

namespace CpuMap.Managed.Syscalls.Xdp;

/// <summary>Conversions between <see cref="XdpMode"/>, the kernel's flags and what IFLA_XDP reports.</summary>
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

    /// <summary>The kernel's name of the mode, as `ip link` prints it.</summary>
    public static string KernelName(this XdpMode mode) => mode switch
    {
        XdpMode.Skb => "generic (skb)",
        XdpMode.Native => "native (drv)",
        XdpMode.Offload => "offload (hw)",
        _ => "default",
    };

    /// <summary>The program id attached in <paramref name="mode"/>; for Auto, the one attached in any mode.</summary>
    public static uint ProgIdIn(this XdpInfo info, XdpMode mode) => mode switch
    {
        XdpMode.Skb => info.SkbProgId,
        XdpMode.Native => info.DrvProgId,
        XdpMode.Offload => info.HwProgId,
        _ => info.ProgId != 0 ? info.ProgId : Math.Max(info.DrvProgId, Math.Max(info.SkbProgId, info.HwProgId)),
    };
}
