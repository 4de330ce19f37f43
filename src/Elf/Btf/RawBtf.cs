using System.Buffers.Binary;
using System.Text;

namespace CpuMap.Managed.Elf.Btf;

/// <summary>
/// A complete BTF blob (the kernel's /sys/kernel/btf/vmlinux) kept as its raw bytes and searched by
/// name without decoding it: the name is found in the string section first, then the type records are
/// walked (12-byte header plus a tail whose size the kind and vlen give) comparing name offsets only.
/// The kernel's BTF holds over a hundred thousand types, and a loader needs a handful of them (an attach
/// target, some kfuncs): an object per type would cost most of a load's time and memory. The bytes may be
/// managed or native memory (the kernel's BTF mapped in place): nothing here copies them.
/// </summary>
public sealed class RawBtf
{
    private const ushort Magic = 0xeb9f;
    private const int MinimumHeaderLength = 24;
    private const int TypeHeaderSize = 12;

    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly int _typesStart;
    private readonly int _typesEnd;
    private readonly int _stringsStart;
    private readonly int _stringsLength;
    private readonly string _name;

    private RawBtf(ReadOnlyMemory<byte> bytes, int typesStart, int typesEnd, int stringsStart, int stringsLength, string name)
    {
        _bytes = bytes;
        _typesStart = typesStart;
        _typesEnd = typesEnd;
        _stringsStart = stringsStart;
        _stringsLength = stringsLength;
        _name = name;
    }

    /// <inheritdoc cref="Parse(ReadOnlyMemory{byte}, string)"/>
    public static RawBtf Parse(byte[] bytes, string name)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return Parse(bytes.AsMemory(), name);
    }

    /// <summary>
    /// Checks the header of <paramref name="bytes"/> and that its sections lie inside; the types are read only when
    /// searched. The bytes are kept, not copied: they must stay unchanged, and native memory (a mapped file) must stay
    /// mapped as long as this object is used. <paramref name="name"/> labels errors.
    /// </summary>
    /// <exception cref="BpfObjectException">The header is not BTF's, or a section lies outside the bytes.</exception>
    public static RawBtf Parse(ReadOnlyMemory<byte> bytes, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var span = bytes.Span;
        if (span.Length < MinimumHeaderLength)
            BpfObjectException.Throw(name, "BTF", 0, $"the BTF is {span.Length} bytes, shorter than its {MinimumHeaderLength}-byte header");
        var magic = BinaryPrimitives.ReadUInt16LittleEndian(span);
        if (magic != Magic)
            BpfObjectException.Throw(name, "BTF", 0, $"BTF magic 0x{magic:x4} is not 0x{Magic:x4}: this is not (little-endian) BTF");
        if (span[2] != 1)
            BpfObjectException.Throw(name, "BTF", 2, $"BTF version {span[2]} is not 1, the only version there is");
        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(span[4..]);
        var typeOffset = BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
        var typeLength = BinaryPrimitives.ReadUInt32LittleEndian(span[12..]);
        var stringOffset = BinaryPrimitives.ReadUInt32LittleEndian(span[16..]);
        var stringLength = BinaryPrimitives.ReadUInt32LittleEndian(span[20..]);
        var body = (ulong)span.Length - Math.Min(headerLength, (uint)span.Length);
        if (headerLength < MinimumHeaderLength || headerLength > (uint)span.Length
            || (ulong)typeOffset + typeLength > body || (ulong)stringOffset + stringLength > body || typeOffset % 4 != 0 || typeLength % 4 != 0)
            BpfObjectException.Throw(name, "BTF", 4,
                $"the BTF header (hdr_len {headerLength}, types {typeOffset}+{typeLength}, strings {stringOffset}+{stringLength}) does not fit the {span.Length} bytes");
        if (stringLength == 0 || span[(int)(headerLength + stringOffset)] != 0 || span[(int)(headerLength + stringOffset + stringLength - 1)] != 0)
            BpfObjectException.Throw(name, "BTF", 16, "the BTF string section must start and end with a NUL byte");
        return new RawBtf(bytes, (int)(headerLength + typeOffset), (int)(headerLength + typeOffset + typeLength),
            (int)(headerLength + stringOffset), (int)stringLength, name);
    }

    /// <summary>The size of the blob in bytes.</summary>
    public int Length => _bytes.Length;

    /// <summary>
    /// The id of the first type of <paramref name="kind"/> named <paramref name="name"/>, or null when there is none
    /// (as libbpf's btf__find_by_name_kind). Ids count from 1 in record order.
    /// </summary>
    /// <exception cref="BpfObjectException">A type record is cut off or of a kind BTF does not have.</exception>
    public uint? Find(string name, BtfKind kind) => Locate(name, kind)?.Id;

    /// <summary>
    /// The byte offset of <paramref name="member"/> in the struct or union named <paramref name="typeName"/>
    /// (btf_member.offset / 8; a bitfield has none), or null when the type or the member is not there.
    /// </summary>
    /// <exception cref="BpfObjectException">A type record is cut off or of a kind BTF does not have.</exception>
    public uint? MemberByteOffset(string typeName, BtfKind kind, string member)
    {
        ArgumentException.ThrowIfNullOrEmpty(member);
        if (kind is not (BtfKind.Struct or BtfKind.Union))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only a struct or a union has members.");
        if (Locate(typeName, kind) is not { } record)
            return null;
        var memberNames = NameOffsets(member);
        var bytes = _bytes.Span;
        var info = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(record.At + 4)..]);
        var kindFlag = (info >> 31) != 0;
        uint? found = null;
        for (var i = 0; i < (ushort)info; i++)
        {
            // struct btf_member { name_off, type, offset }: with kind_flag set, offset holds the bitfield size in its top byte.
            var at = record.At + TypeHeaderSize + i * 12;
            if (!memberNames.Contains(BinaryPrimitives.ReadUInt32LittleEndian(bytes[at..])))
                continue;
            var offset = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(at + 8)..]);
            var (bitOffset, bitfieldSize) = kindFlag ? (offset & 0xffffff, offset >> 24) : (offset, 0u);
            found = bitfieldSize == 0 && bitOffset % 8 == 0 ? bitOffset / 8 : null;
            break;
        }
        // The span may be a mapped file that this object keeps mapped: it must stay reachable until the last read.
        GC.KeepAlive(this);
        return found;
    }

    /// <summary>The id and byte position of the first type record of <paramref name="kind"/> named <paramref name="name"/>.</summary>
    private (uint Id, int At)? Locate(string name, BtfKind kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var nameOffsets = NameOffsets(name);
        if (nameOffsets.Count == 0)
            return null;
        var types = _bytes.Span[.._typesEnd];
        uint id = 1;
        for (var at = _typesStart; at < _typesEnd; id++)
        {
            if (at + TypeHeaderSize > _typesEnd)
                Corrupt(at, "a type record is cut off by the end of the type section");
            var nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(types[at..]);
            var info = BinaryPrimitives.ReadUInt32LittleEndian(types[(at + 4)..]);
            var typeKind = (BtfKind)((info >> 24) & 0x1f);
            var next = at + TypeHeaderSize + TailSize(typeKind, (ushort)info, at);
            if (typeKind == kind && nameOffsets.Contains(nameOffset))
            {
                if (next > _typesEnd)
                    Corrupt(at, "a type record's members are cut off by the end of the type section");
                return (id, at);
            }
            at = next;
        }
        return null;
    }

    /// <summary>
    /// Every offset in the string section where exactly <paramref name="name"/> starts. The kernel's strings are
    /// deduplicated, so this is one offset or none, but nothing here depends on it.
    /// </summary>
    private List<uint> NameOffsets(string name)
    {
        // "\0name\0": a match starts a whole string, never the tail of a longer one.
        var needle = new byte[Encoding.UTF8.GetByteCount(name) + 2];
        Encoding.UTF8.GetBytes(name, needle.AsSpan(1));
        var strings = _bytes.Span.Slice(_stringsStart, _stringsLength);
        var found = new List<uint>(1);
        for (var from = 0; ;)
        {
            var index = strings[from..].IndexOf(needle);
            if (index < 0)
                return found;
            found.Add((uint)(from + index + 1));
            from += index + 1;
        }
    }

    private int TailSize(BtfKind kind, ushort vlen, int at) => kind switch
    {
        BtfKind.Int or BtfKind.Var or BtfKind.DeclTag => 4,
        BtfKind.Ptr or BtfKind.Fwd or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
            or BtfKind.Func or BtfKind.Float or BtfKind.TypeTag => 0,
        BtfKind.Array => 12,
        BtfKind.Struct or BtfKind.Union or BtfKind.Datasec or BtfKind.Enum64 => vlen * 12,
        BtfKind.Enum or BtfKind.FuncProto => vlen * 8,
        _ => Corrupt(at, $"type kind {(int)kind} is not a BTF kind this reader knows (the highest is {(int)BtfKind.Enum64}), so the records after it cannot be found"),
    };

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private int Corrupt(int at, string message)
    {
        BpfObjectException.Throw(_name, "BTF", at, message);
        return 0;
    }
}
