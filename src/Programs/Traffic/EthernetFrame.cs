using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace CpuMap.Managed.Programs.Traffic;

/// <summary>
/// Builds real Ethernet frames (Ethernet II, optional VLAN tags, IPv4 or IPv6, TCP or UDP, valid
/// checksums) to feed XDP programs through BPF_PROG_TEST_RUN, where there is no NIC: the kernel wants
/// at least 14 bytes and a remote CPU's network stack parses the rest.
/// </summary>
public static class EthernetFrame
{
    /// <summary>Ethernet (14) + IPv4 (20) + UDP (8) headers.</summary>
    public const int HeadersLength = 14 + 20 + 8;

    /// <summary>The shortest Ethernet frame without its FCS: shorter ones are padded on the wire.</summary>
    public const int MinimumLength = 60;

    /// <summary>ETH_P_IP, ETH_P_IPV6, ETH_P_ARP.</summary>
    public const ushort EthPIp = 0x0800, EthPIpv6 = 0x86DD, EthPArp = 0x0806;

    private const int Mtu = 1500;
    private static readonly IPAddress DefaultSource = IPAddress.Parse("10.0.0.1"), DefaultDestination = IPAddress.Parse("10.0.0.2");

    /// <summary>A UDP datagram from 10.0.0.1:<paramref name="sourcePort"/> to 10.0.0.2:<paramref name="destinationPort"/>.</summary>
    /// <param name="sourcePort">UDP source port (flow-hash programs spread by it).</param>
    /// <param name="destinationPort">UDP destination port; 9 (discard) by default.</param>
    /// <param name="payloadLength">Payload bytes (zeros); the frame is padded to 60 bytes at least, at most 1500 of IP.</param>
    public static byte[] Udp(ushort sourcePort = 1024, ushort destinationPort = 9, int payloadLength = 18) =>
        Ip(DefaultSource, sourcePort, DefaultDestination, destinationPort, ProtocolType.Udp, payloadLength);

    /// <summary>
    /// An IPv4 or IPv6 packet (by the addresses' family) from <paramref name="source"/>:<paramref name="sourcePort"/>
    /// to <paramref name="destination"/>:<paramref name="destinationPort"/>, inside <paramref name="vlanTags"/> (outermost first).
    /// </summary>
    /// <param name="source">Source address, IPv4 or IPv6.</param>
    /// <param name="sourcePort">TCP or UDP source port (ignored for other protocols).</param>
    /// <param name="destination">Destination address, of the same family.</param>
    /// <param name="destinationPort">TCP or UDP destination port (ignored for other protocols).</param>
    /// <param name="protocol">TCP, UDP, or any other IP protocol (then the payload follows the IP header directly).</param>
    /// <param name="payloadLength">Payload bytes (zeros) after the TCP/UDP header; at most what a 1500-byte MTU leaves.</param>
    /// <param name="vlanTags">VLAN tags, outermost first; none by default.</param>
    /// <param name="fragOff">IPv4 only: the header's flags and fragment offset field (MF = 0x2000, offset in 8-byte units in the low 13 bits).</param>
    public static byte[] Ip(IPAddress source, ushort sourcePort, IPAddress destination, ushort destinationPort,
        ProtocolType protocol = ProtocolType.Udp, int payloadLength = 18, IReadOnlyList<VlanTag>? vlanTags = null, ushort fragOff = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var ipv6 = source.AddressFamily switch
        {
            AddressFamily.InterNetwork => false,
            AddressFamily.InterNetworkV6 => true,
            _ => throw new ArgumentException($"The source address {source} is neither IPv4 nor IPv6.", nameof(source)),
        };
        if (destination.AddressFamily != source.AddressFamily)
            throw new ArgumentException(
                $"The destination {destination} is {destination.AddressFamily} but the source {source} is {source.AddressFamily}; an IP header carries one family. Use two addresses of the same family.",
                nameof(destination));
        if (ipv6 && fragOff != 0)
            throw new ArgumentException("IPv6 has no fragment field in its fixed header (fragments use an extension header); pass fragOff only for IPv4.", nameof(fragOff));
        if ((int)protocol is < 0 or > 255)
            throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "An IP protocol number is 0 to 255 (TCP 6, UDP 17).");
        vlanTags ??= [];
        var ipHeader = ipv6 ? 40 : 20;
        var l4Header = protocol switch { ProtocolType.Tcp => 20, ProtocolType.Udp => 8, _ => 0 };
        var maxPayload = Mtu - ipHeader - l4Header;
        if (payloadLength < 0 || payloadLength > maxPayload)
            throw new ArgumentOutOfRangeException(nameof(payloadLength), payloadLength,
                $"A {protocol} payload over {(ipv6 ? "IPv6" : "IPv4")} in a 1500-byte MTU frame is 0 to {maxPayload} bytes.");

        var l3 = 14 + 4 * vlanTags.Count;
        var l4Length = l4Header + payloadLength;
        var frame = new byte[Math.Max(MinimumLength, l3 + ipHeader + l4Length)];
        var span = frame.AsSpan();
        WriteEthernet(span, vlanTags, ipv6 ? EthPIpv6 : EthPIp);
        var ip = span.Slice(l3, ipHeader);
        if (ipv6)
        {
            ip[0] = 0x60;                                                   // version 6
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)l4Length);
            ip[6] = (byte)protocol;                                         // next header
            ip[7] = 64;                                                     // hop limit
            source.TryWriteBytes(ip[8..], out _);
            destination.TryWriteBytes(ip[24..], out _);
        }
        else
        {
            ip[0] = 0x45;                                                   // version 4, IHL 5
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + l4Length));
            BinaryPrimitives.WriteUInt16BigEndian(ip[6..], fragOff);
            ip[8] = 64;                                                     // TTL
            ip[9] = (byte)protocol;
            source.TryWriteBytes(ip[12..], out _);
            destination.TryWriteBytes(ip[16..], out _);
            BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(0, ip));
        }
        var l4 = span.Slice(l3 + ipHeader, l4Length);
        if (l4Header == 0)
            return frame;
        BinaryPrimitives.WriteUInt16BigEndian(l4, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(l4[2..], destinationPort);
        int checksumOffset;
        if (protocol == ProtocolType.Tcp)
        {
            l4[12] = 5 << 4;                                                // data offset: 5 words
            l4[13] = 0x18;                                                  // PSH, ACK
            BinaryPrimitives.WriteUInt16BigEndian(l4[14..], 65535);         // window
            checksumOffset = 16;
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(l4[4..], (ushort)l4Length);
            checksumOffset = 6;
        }
        // The pseudo-header: addresses, protocol and length (RFC 768, 793, 8200 section 8.1).
        var pseudo = PseudoHeaderSum(ip, ipv6, (byte)protocol, l4Length);
        var checksum = Checksum(pseudo, l4);
        // UDP sends a computed 0 as 0xffff: 0 means "no checksum" (and is not allowed over IPv6).
        BinaryPrimitives.WriteUInt16BigEndian(l4[checksumOffset..], protocol == ProtocolType.Udp && checksum == 0 ? (ushort)0xffff : checksum);
        return frame;
    }

    /// <summary>A frame of <paramref name="etherType"/> (ARP by default) with a zero payload: not IP, nothing to hash.</summary>
    /// <param name="etherType">The EtherType; not IPv4, IPv6 or a VLAN TPID, which this frame would not match.</param>
    /// <param name="vlanTags">VLAN tags, outermost first.</param>
    public static byte[] NonIp(ushort etherType = EthPArp, IReadOnlyList<VlanTag>? vlanTags = null)
    {
        if (etherType is EthPIp or EthPIpv6 or VlanTag.EthP8021Q or VlanTag.EthP8021AD || etherType < 0x0600)
            throw new ArgumentOutOfRangeException(nameof(etherType), $"0x{etherType:X4}",
                "A non-IP frame needs an EtherType (0x0600 or above) that is not IPv4 (0x0800), IPv6 (0x86DD) or a VLAN TPID; e.g. ARP, 0x0806.");
        var frame = new byte[MinimumLength];
        WriteEthernet(frame, vlanTags ?? [], etherType);
        return frame;
    }

    private static void WriteEthernet(Span<byte> frame, IReadOnlyList<VlanTag> vlanTags, ushort etherType)
    {
        // Locally administered unicast addresses.
        ReadOnlySpan<byte> destination = [0x02, 0, 0, 0, 0, 0x02], source = [0x02, 0, 0, 0, 0, 0x01];
        destination.CopyTo(frame);
        source.CopyTo(frame[6..]);
        var offset = 12;
        foreach (var tag in vlanTags)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame[offset..], tag.Tpid);
            BinaryPrimitives.WriteUInt16BigEndian(frame[(offset + 2)..], tag.Id);
            offset += 4;
        }
        BinaryPrimitives.WriteUInt16BigEndian(frame[offset..], etherType);
    }

    private static uint PseudoHeaderSum(ReadOnlySpan<byte> ip, bool ipv6, byte protocol, int length)
    {
        var addresses = ipv6 ? ip.Slice(8, 32) : ip.Slice(12, 8);
        return Sum(0, addresses) + protocol + (uint)length;
    }

    /// <summary>The ones' complement of the ones' complement sum of 16-bit words (RFC 1071), with the checksum field zero.</summary>
    private static ushort Checksum(uint initial, ReadOnlySpan<byte> data)
    {
        var sum = Sum(initial, data);
        while (sum > 0xffff)
            sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }

    private static uint Sum(uint sum, ReadOnlySpan<byte> data)
    {
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if (i < data.Length)
            sum += (uint)data[i] << 8;
        return sum;
    }
}
