using System.Buffers.Binary;

namespace CpuMap.Managed.Elf.ElfFormat;

/// <summary>
/// Bounds-checked little-endian reads over one section (or the whole file). Every read past the
/// end becomes a <see cref="BpfObjectException"/> naming the object, section and offset, never an
/// index-out-of-range. BPF objects are little-endian only (EM_BPF with ELFDATA2LSB on x86 and arm64
/// hosts), so no byte order is carried.
/// </summary>
internal ref struct SpanReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _objectName;
    private readonly string? _sectionName;

    public SpanReader(ReadOnlySpan<byte> data, string objectName, string? sectionName, int position = 0)
    {
        _data = data;
        _objectName = objectName;
        _sectionName = sectionName;
        Position = position;
    }

    public int Position { get; set; }

    public readonly int Length => _data.Length;

    public readonly int Remaining => _data.Length - Position;

    public byte ReadByte() => Take(1)[0];

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    /// <summary>The bytes [offset, offset + length) of the span, checked.</summary>
    public readonly ReadOnlySpan<byte> Slice(long offset, long length, string what)
    {
        if (offset < 0 || length < 0 || offset > _data.Length || length > _data.Length - offset)
            Fail(offset, $"{what} (0x{length:x} bytes at 0x{offset:x}) runs past the end (0x{_data.Length:x} bytes); the object is truncated or corrupt, rebuild it");
        return _data.Slice((int)offset, (int)length);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public readonly void Fail(long offset, string message) =>
        BpfObjectException.Throw(_objectName, _sectionName, offset, message);

    private ReadOnlySpan<byte> Take(int count)
    {
        if ((uint)Position > (uint)_data.Length || count > _data.Length - Position)
            Fail(Position, $"a {count}-byte field runs past the end (0x{_data.Length:x} bytes); the object is truncated or corrupt, rebuild it");
        var span = _data.Slice(Position, count);
        Position += count;
        return span;
    }
}
