namespace CpuMap.Managed.Syscalls.Netlink;

/// <summary>
/// A device's XDP state from its IFLA_XDP attribute: the attach mode and the program id of each
/// mode (0 where none). The ids open programs through <see cref="Bpf.ProgGetFdById"/>.
/// </summary>
public readonly record struct XdpInfo(XdpAttached Attached, uint DrvProgId, uint SkbProgId, uint HwProgId)
{
    /// <summary>Whether any XDP program is attached.</summary>
    public bool IsAttached => Attached != XdpAttached.None;

    /// <summary>The id of the single attached program (IFLA_XDP_PROG_ID's meaning), or 0 when none or <see cref="XdpAttached.Multi"/>.</summary>
    public uint ProgId => Attached switch
    {
        XdpAttached.Drv => DrvProgId,
        XdpAttached.Skb => SkbProgId,
        XdpAttached.Hw => HwProgId,
        _ => 0,
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
        return new XdpInfo(attached, drv, skb, hw);
    }

    /// <inheritdoc/>
    public override string ToString() => Attached switch
    {
        XdpAttached.None => "no XDP program",
        XdpAttached.Multi => $"XDP programs: drv {DrvProgId}, skb {SkbProgId}, hw {HwProgId}",
        _ => $"XDP {Attached.ToString().ToLowerInvariant()} program id {ProgId}",
    };
}
