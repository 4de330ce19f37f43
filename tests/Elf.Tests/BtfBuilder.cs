using System.Buffers.Binary;
using System.Text;
using CpuMap.Managed.Elf.Btf;

namespace CpuMap.Managed.Elf.Tests;

/// <summary>Writes .BTF sections by hand, for the shapes and the damage a compiler never emits.</summary>
internal sealed class BtfBuilder
{
    private readonly List<uint> _types = [];
    private readonly MemoryStream _strings = new();
    private int _count;

    public BtfBuilder() => _strings.WriteByte(0);

    public uint String(string value)
    {
        if (value.Length == 0)
            return 0;
        var offset = (uint)_strings.Length;
        _strings.Write(Encoding.UTF8.GetBytes(value));
        _strings.WriteByte(0);
        return offset;
    }

    /// <summary>Adds a type record and returns its id.</summary>
    public uint Type(BtfKind kind, string name, uint sizeOrType, ushort vlen = 0, bool kindFlag = false, params uint[] trailing) =>
        Raw(String(name), ((uint)kind << 24) | vlen | (kindFlag ? 1u << 31 : 0), sizeOrType, trailing);

    public uint Raw(uint nameOffset, uint info, uint sizeOrType, params uint[] trailing)
    {
        _types.Add(nameOffset);
        _types.Add(info);
        _types.Add(sizeOrType);
        _types.AddRange(trailing);
        return (uint)++_count;
    }

    public byte[] Build(ushort magic = 0xeb9f, byte version = 1, byte flags = 0, uint? headerLength = null, uint? typeOffset = null, uint? stringOffset = null)
    {
        var strings = _strings.ToArray();
        var typeBytes = _types.Count * 4;
        var bytes = new byte[24 + typeBytes + strings.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, magic);
        bytes[2] = version;
        bytes[3] = flags;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), headerLength ?? 24);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), typeOffset ?? 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), (uint)typeBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), stringOffset ?? (uint)typeBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(20), (uint)strings.Length);
        for (var i = 0; i < _types.Count; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24 + 4 * i), _types[i]);
        strings.CopyTo(bytes, 24 + typeBytes);
        return bytes;
    }
}
