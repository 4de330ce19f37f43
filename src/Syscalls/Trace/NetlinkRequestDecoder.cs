using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using CpuMap.Managed.Syscalls.Netlink;

namespace CpuMap.Managed.Syscalls;

/// <summary>
/// An rtnetlink request as the trace shows it: the device it is about and the attributes this library sends, in the
/// kernel's names (IFLA_IFNAME, IFLA_XDP_FD, ...). Runs only while someone listens.
/// </summary>
internal static unsafe class NetlinkRequestDecoder
{
    private const int HeaderSize = 16; // struct nlmsghdr

    public static string Describe(NetlinkMessageBuilder request, ReadOnlySpan<byte> message)
    {
        var text = new StringBuilder();
        var body = message[HeaderSize..];
        int fixedSize;
        if (request.Type is RtmType.NewAddr or RtmType.DelAddr or RtmType.GetAddr)
        {
            fixedSize = sizeof(IfAddrMsg);
            if (body.Length < fixedSize)
                return "";
            var addr = MemoryMarshal.Read<IfAddrMsg>(body);
            text.Append($"ifa_index={addr.Index} ifa_prefixlen={addr.PrefixLen}");
        }
        else
        {
            fixedSize = sizeof(IfInfoMsg);
            if (body.Length < fixedSize)
                return "";
            var link = MemoryMarshal.Read<IfInfoMsg>(body);
            text.Append($"ifi_index={link.Index}");
            if (link.Change != 0)
                text.Append($" ifi_flags=0x{link.Flags:x} ifi_change=0x{link.Change:x}");
        }
        if (request.IsDump)
            text.Append(" NLM_F_DUMP");
        Attributes(text, body[NetlinkMessageBuilder.Align(fixedSize)..], request.Type, nested: null);
        return text.ToString();
    }

    private static void Attributes(StringBuilder text, ReadOnlySpan<byte> attributes, RtmType type, ushort? nested)
    {
        var reader = new NetlinkAttributeReader(attributes);
        while (reader.MoveNext())
        {
            text.Append(' ');
            var name = Name(reader.Type, type, nested);
            switch (name)
            {
                case "IFLA_IFNAME" or "IFLA_INFO_KIND":
                    text.Append($"{name}=\"{reader.String}\"");
                    break;
                case "IFLA_LINKINFO" or "IFLA_XDP" or "IFLA_INFO_DATA":
                    text.Append(name).Append("={");
                    Attributes(text, reader.Payload, type, reader.Type);
                    text.Append(" }");
                    break;
                case "VETH_INFO_PEER":
                    // struct ifinfomsg, then the peer's own attributes.
                    text.Append(name).Append("={");
                    if (reader.Payload.Length >= sizeof(IfInfoMsg))
                        Attributes(text, reader.Payload[sizeof(IfInfoMsg)..], type, null);
                    text.Append(" }");
                    break;
                case "IFA_LOCAL" or "IFA_ADDRESS" when reader.Payload.Length == 4:
                    text.Append($"{name}={new System.Net.IPAddress(reader.Payload)}");
                    break;
                case "IFLA_XDP_FLAGS":
                    text.Append($"{name}=0x{reader.U32:x}");
                    break;
                default:
                    text.Append(reader.Payload.Length == 4 ? $"{name}={(int)BinaryPrimitives.ReadUInt32LittleEndian(reader.Payload)}" : $"{name}[{reader.Payload.Length} bytes]");
                    break;
            }
        }
    }

    private static string Name(ushort attribute, RtmType type, ushort? nested) => (nested, attribute) switch
    {
        (null, _) when type is RtmType.NewAddr or RtmType.DelAddr or RtmType.GetAddr => attribute switch
        {
            Ifla.IFA_ADDRESS => "IFA_ADDRESS",
            Ifla.IFA_LOCAL => "IFA_LOCAL",
            _ => $"IFA_{attribute}",
        },
        (null, Ifla.IFLA_IFNAME) => "IFLA_IFNAME",
        (null, Ifla.IFLA_LINKINFO) => "IFLA_LINKINFO",
        (null, Ifla.IFLA_NET_NS_FD) => "IFLA_NET_NS_FD",
        (null, Ifla.IFLA_XDP) => "IFLA_XDP",
        (null, _) => $"IFLA_{attribute}",
        (Ifla.IFLA_LINKINFO, Ifla.IFLA_INFO_KIND) => "IFLA_INFO_KIND",
        (Ifla.IFLA_LINKINFO, Ifla.IFLA_INFO_DATA) => "IFLA_INFO_DATA",
        (Ifla.IFLA_INFO_DATA, Ifla.VETH_INFO_PEER) => "VETH_INFO_PEER",
        (Ifla.IFLA_XDP, Ifla.IFLA_XDP_FD) => "IFLA_XDP_FD",
        (Ifla.IFLA_XDP, Ifla.IFLA_XDP_FLAGS) => "IFLA_XDP_FLAGS",
        (Ifla.IFLA_XDP, Ifla.IFLA_XDP_EXPECTED_FD) => "IFLA_XDP_EXPECTED_FD",
        _ => $"attr{attribute}",
    };
}
