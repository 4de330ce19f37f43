using System.Buffers.Binary;
using System.Text;

namespace CpuMap.Managed.Syscalls.Netlink;

/// <summary>
/// Walks the attributes of a netlink payload without allocating. Stops at the first truncated
/// attribute instead of throwing: the kernel never sends one, and a reader must not crash on it.
/// </summary>
internal ref struct NetlinkAttributeReader
{
    private ReadOnlySpan<byte> _rest;

    public NetlinkAttributeReader(ReadOnlySpan<byte> attributes) => _rest = attributes;

    /// <summary>The attribute type with NLA_F_NESTED and NLA_F_NET_BYTEORDER masked off.</summary>
    public ushort Type { get; private set; }

    public ReadOnlySpan<byte> Payload { get; private set; }

    public bool MoveNext()
    {
        if (_rest.Length < 4)
            return false;
        int length = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        if (length < 4 || length > _rest.Length)
            return false;
        Type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]) & Ifla.NLA_TYPE_MASK);
        Payload = _rest[4..length];
        _rest = _rest[Math.Min(NetlinkMessageBuilder.Align(length), _rest.Length)..];
        return true;
    }

    public readonly uint U32 => Payload.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(Payload) : 0;

    public readonly byte U8 => Payload.Length >= 1 ? Payload[0] : (byte)0;

    /// <summary>A string attribute, without its NUL terminator.</summary>
    public readonly string String
    {
        get
        {
            var end = Payload.IndexOf((byte)0);
            return Encoding.UTF8.GetString(end < 0 ? Payload : Payload[..end]);
        }
    }
}
