namespace CpuMap.Managed.Syscalls.Netlink;

/// <summary>
/// A device's XDP state from its IFLA_XDP attribute: the program id of each mode (0 where none; the kernel's
/// IFLA_XDP_DRV_PROG_ID, _SKB_ and _HW_). The ids open programs through <see cref="Bpf.ProgGetFdById"/>.
/// </summary>
public readonly record struct XdpInfo(uint DrvProgId, uint SkbProgId, uint HwProgId)
{
    /// <summary>Whether any XDP program is attached.</summary>
    public bool IsAttached => DrvProgId != 0 || SkbProgId != 0 || HwProgId != 0;

    /// <summary>
    /// The mode of the one attached program; null when none is, or when programs are attached in more than one mode
    /// (the kernel's XDP_ATTACHED_MULTI: see <see cref="ProgIdIn"/>).
    /// </summary>
    public XdpMode? Mode => (DrvProgId != 0 ? 1 : 0) + (SkbProgId != 0 ? 1 : 0) + (HwProgId != 0 ? 1 : 0) != 1 ? null
        : DrvProgId != 0 ? XdpMode.Native : SkbProgId != 0 ? XdpMode.Skb : XdpMode.Offload;

    /// <summary>The id of the single attached program (IFLA_XDP_PROG_ID's meaning), or 0 when none or several are.</summary>
    public uint ProgId => Mode is { } mode ? ProgIdIn(mode) : 0;

    /// <summary>The program id attached in <paramref name="mode"/>; for <see cref="XdpMode.Auto"/>, the one attached in any mode.</summary>
    public uint ProgIdIn(XdpMode mode) => mode switch
    {
        XdpMode.Skb => SkbProgId,
        XdpMode.Native => DrvProgId,
        XdpMode.Offload => HwProgId,
        _ => ProgId != 0 ? ProgId : Math.Max(DrvProgId, Math.Max(SkbProgId, HwProgId)),
    };

    internal static XdpInfo Parse(ReadOnlySpan<byte> nested)
    {
        XdpAttached attached = XdpAttached.None;
        uint single = 0, drv = 0, skb = 0, hw = 0;
        var reader = new NetlinkAttributeReader(nested);
        while (reader.MoveNext())
        {
            switch (reader.Type)
            {
                case Ifla.IFLA_XDP_ATTACHED: attached = (XdpAttached)reader.U8; break;
                case Ifla.IFLA_XDP_PROG_ID: single = reader.U32; break;
                case Ifla.IFLA_XDP_DRV_PROG_ID: drv = reader.U32; break;
                case Ifla.IFLA_XDP_SKB_PROG_ID: skb = reader.U32; break;
                case Ifla.IFLA_XDP_HW_PROG_ID: hw = reader.U32; break;
            }
        }
        // With one mode the kernel sends only IFLA_XDP_PROG_ID; fill the per-mode id from it.
        switch (attached)
        {
            case XdpAttached.Drv when drv == 0: drv = single; break;
            case XdpAttached.Skb when skb == 0: skb = single; break;
            case XdpAttached.Hw when hw == 0: hw = single; break;
        }
        return new XdpInfo(drv, skb, hw);
    }

    /// <inheritdoc/>
    public override string ToString() => (IsAttached, Mode) switch
    {
        (false, _) => "no XDP program",
        (_, null) => $"XDP programs: drv {DrvProgId}, skb {SkbProgId}, hw {HwProgId}",
        (_, { } mode) => $"XDP {KernelNames.Of(mode)} program id {ProgId}",
    };
}
