using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls.Netlink;

/// <summary>A network device as RTM_NEWLINK describes it.</summary>
/// <param name="Index">The ifindex.</param>
/// <param name="Name">IFLA_IFNAME.</param>
/// <param name="Flags">ifi_flags (IFF_UP, IFF_RUNNING, ...).</param>
/// <param name="Mtu">IFLA_MTU.</param>
/// <param name="Kind">IFLA_INFO_KIND, e.g. "veth"; null for devices without a link kind (physical NICs, lo).</param>
/// <param name="Xdp">The XDP state (IFLA_XDP).</param>
public sealed record NetDeviceInfo(int Index, string Name, uint Flags, uint Mtu, string? Kind, XdpInfo Xdp)
{
    /// <summary>IFF_UP: administratively up.</summary>
    public bool IsUp => (Flags & Ifla.IFF_UP) != 0;

    internal static unsafe NetDeviceInfo Parse(ReadOnlySpan<byte> payload)
    {
        var header = MemoryMarshal.Read<IfInfoMsg>(payload);
        string name = "";
        string? kind = null;
        uint mtu = 0;
        var xdp = default(XdpInfo);
        var reader = new NetlinkAttributeReader(payload[sizeof(IfInfoMsg)..]);
        while (reader.MoveNext())
        {
            switch (reader.Type)
            {
                case Ifla.IFLA_IFNAME: name = reader.String; break;
                case Ifla.IFLA_MTU: mtu = reader.U32; break;
                case Ifla.IFLA_XDP: xdp = XdpInfo.Parse(reader.Payload); break;
                case Ifla.IFLA_LINKINFO:
                    var info = new NetlinkAttributeReader(reader.Payload);
                    while (info.MoveNext())
                    {
                        if (info.Type == Ifla.IFLA_INFO_KIND)
                            kind = info.String;
                    }
                    break;
            }
        }
        return new NetDeviceInfo(header.Index, name, header.Flags, mtu, kind, xdp);
    }
}
