using System.Buffers.Binary;

namespace CpuMap.Managed.Bench.Redirect;

/// <summary>
/// The frame the live-frames runs send: 64 bytes of Ethernet, IPv4 and UDP (the smallest frame
/// on the wire, so the count measures per-packet cost), addressed 10.0.0.1:9 → 10.0.0.2:9.
/// </summary>
internal static class TestFrame
{
    internal const int Length = 64;

    internal static byte[] Build()
    {
        var frame = new byte[Length];
        var span = frame.AsSpan();
        // Ethernet: locally administered unicast addresses, EtherType IPv4.
        ReadOnlySpan<byte> destination = [0x02, 0, 0, 0, 0, 0x02], source = [0x02, 0, 0, 0, 0, 0x01];
        destination.CopyTo(span[0..6]);
        source.CopyTo(span[6..12]);
        BinaryPrimitives.WriteUInt16BigEndian(span[12..], 0x0800);

        var ip = span[14..34];
        ip[0] = 0x45; // version 4, 5 words of header
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], Length - 14);
        ip[8] = 64; // TTL
        ip[9] = 17; // UDP
        ReadOnlySpan<byte> sourceIp = [10, 0, 0, 1], destinationIp = [10, 0, 0, 2];
        sourceIp.CopyTo(ip[12..]);
        destinationIp.CopyTo(ip[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip));

        var udp = span[34..42];
        BinaryPrimitives.WriteUInt16BigEndian(udp, 9); // discard
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 9);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], Length - 34);
        return frame; // UDP checksum 0: none, which IPv4 allows
    }

    /// <summary>The Internet checksum (RFC 1071) of a header whose checksum field is zero.</summary>
    private static ushort Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (var i = 0; i < header.Length; i += 2)
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        while (sum > 0xffff)
            sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }
}
