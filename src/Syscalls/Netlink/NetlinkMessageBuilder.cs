using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace CpuMap.Managed.Syscalls.Netlink;

/// <summary>
/// Writes one netlink request: nlmsghdr, a fixed family header, then attributes (rtattr/nlattr:
/// u16 length, u16 type, payload, padded to 4 bytes), nesting by back-patching the length.
/// </summary>
internal sealed class NetlinkMessageBuilder
{
    private byte[] _buffer = new byte[512];
    private int _length;

    /// <summary>Starts a message of <paramref name="type"/>; NLM_F_REQUEST is always added.</summary>
    public NetlinkMessageBuilder(RtmType type, NetlinkFlags flags)
    {
        Type = type;
        Flags = flags | NetlinkFlags.Request;
        Put(new NlMsgHdr { Type = (ushort)type });
    }

    public RtmType Type { get; }

    /// <summary>The nlmsghdr flags, written by <see cref="Finish"/>.</summary>
    public NetlinkFlags Flags { get; set; }

    public bool IsDump => (Flags & NetlinkFlags.Dump) == NetlinkFlags.Dump;

    /// <summary>Appends a C struct, padded to 4 bytes.</summary>
    public void Put<T>(in T value) where T : unmanaged
    {
        var size = Unsafe.SizeOf<T>();
        var span = Reserve(size);
        MemoryMarshal.Write(span, in value);
    }

    public void PutAttr(ushort type, ReadOnlySpan<byte> payload)
    {
        var span = Reserve(4 + payload.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)(4 + payload.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], type);
        payload.CopyTo(span[4..]);
    }

    public void PutU32(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        PutAttr(type, bytes);
    }

    public void PutS32(ushort type, int value) => PutU32(type, unchecked((uint)value));

    /// <summary>A NUL-terminated string attribute (NLA_NUL_STRING / IFNAMSIZ names).</summary>
    public void PutString(ushort type, string value)
    {
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetMaxByteCount(value.Length) + 1];
        var n = Encoding.UTF8.GetBytes(value, bytes);
        bytes[n] = 0;
        PutAttr(type, bytes[..(n + 1)]);
    }

    /// <summary>Opens a nested attribute; pass the result to <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        var start = _length;
        PutAttr((ushort)(type | Ifla.NLA_F_NESTED), []);
        return start;
    }

    public void EndNested(int start)
        => BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(start), (ushort)(_length - start));

    /// <summary>Sets nlmsg_len, nlmsg_flags and nlmsg_seq and returns the bytes to send.</summary>
    public ReadOnlySpan<byte> Finish(uint seq)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer, (uint)_length);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(6), (ushort)Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(8), seq);
        return _buffer.AsSpan(0, _length);
    }

    private Span<byte> Reserve(int size)
    {
        var aligned = Align(size);
        if (_length + aligned > _buffer.Length)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + aligned));
        var span = _buffer.AsSpan(_length, aligned);
        span.Clear();
        _length += aligned;
        return span[..size];
    }

    /// <summary>NLMSG_ALIGN / RTA_ALIGN: 4 bytes.</summary>
    internal static int Align(int size) => (size + 3) & ~3;
}
