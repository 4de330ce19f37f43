namespace CpuMap.Managed.Elf.Btf;

/// <summary>
/// The types of an object's .BTF section, by id, with the walks a loader needs: skipping
/// modifiers and typedefs, and resolving a type's size. Walks are bounded, so a type loop in a
/// corrupt section fails with <see cref="BpfObjectException"/> instead of hanging.
/// </summary>
public sealed class BtfTypes
{
    // libbpf's MAX_RESOLVE_DEPTH: deeper chains of modifiers, typedefs and arrays are treated as loops.
    private const int MaxResolveDepth = 32;

    private readonly BtfType[] _types;
    private readonly string _objectName;
    private readonly string _sectionName;
    private readonly int _typeSectionOffset;
    private readonly byte[] _strings;

    private BtfTypes((BtfType[] Types, int TypeSectionOffset, byte[] Strings) parsed, string objectName, string sectionName)
    {
        _types = parsed.Types;
        _strings = parsed.Strings;
        _typeSectionOffset = parsed.TypeSectionOffset;
        _objectName = objectName;
        _sectionName = sectionName;
    }

    /// <summary>Parses a .BTF section. <paramref name="objectName"/> and <paramref name="sectionName"/>
    /// only label errors.</summary>
    public static BtfTypes Parse(ReadOnlySpan<byte> section, string objectName, string sectionName = ".BTF")
    {
        ArgumentException.ThrowIfNullOrEmpty(objectName);
        ArgumentException.ThrowIfNullOrEmpty(sectionName);
        return new(BtfParser.Parse(section, objectName, sectionName), objectName, sectionName);
    }

    /// <summary>All types; <c>Types[i]</c> has id i + 1 (id 0 is void).</summary>
    public IReadOnlyList<BtfType> Types => _types;

    /// <summary>The number of types, not counting void.</summary>
    public int Count => _types.Length;

    /// <summary>The type with <paramref name="id"/>; null for id 0 (void).</summary>
    public BtfType? this[uint id]
    {
        get
        {
            if (id == 0)
                return null;
            if (id > (uint)_types.Length)
                BpfObjectException.Throw(_objectName, _sectionName, 0, $"type id {id} is not in the BTF, which has types [1..{_types.Length}]");
            return _types[id - 1];
        }
    }

    /// <summary>The string at <paramref name="offset"/> of the BTF string section (names, and in an
    /// object also the file names, source lines and CO-RE access strings .BTF.ext refers to).
    /// <paramref name="referrer"/> and <paramref name="at"/> label the error when the offset is bad.</summary>
    public string GetString(uint offset, string referrer, long at) =>
        ElfFormat.StringTable.Read(_strings, offset, _objectName, referrer, at, $"{_sectionName} string section");

    /// <summary>Whether <paramref name="offset"/> starts a NUL-terminated string of the string section.</summary>
    public bool HasString(uint offset) => offset < (uint)_strings.Length && _strings.AsSpan((int)offset).IndexOf((byte)0) >= 0;

    /// <summary>The first type of <paramref name="kind"/> named <paramref name="name"/>, or null.</summary>
    public BtfType? Find(string name, BtfKind kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var type in _types)
            if (type.Kind == kind && type.Name == name)
                return type;
        return null;
    }

    /// <summary>Follows TYPEDEF, VOLATILE, CONST, RESTRICT and TYPE_TAG to the type they qualify
    /// (libbpf's skip_mods_and_typedefs). Returns null for void.</summary>
    public BtfType? SkipModifiersAndTypedefs(uint id)
    {
        var type = this[id];
        for (var depth = 0; type is not null && IsModifierOrTypedef(type.Kind); depth++)
        {
            if (depth == MaxResolveDepth)
                Loop(type);
            type = this[type.Type];
        }
        return type;
    }

    /// <summary>The size in bytes of type <paramref name="id"/> (libbpf's btf__resolve_size):
    /// through modifiers, typedefs and VARs, arrays multiplied out, pointers 8 bytes.</summary>
    public ulong ResolveSize(uint id)
    {
        ulong elements = 1;
        var type = this[id];
        for (var depth = 0; ; depth++)
        {
            if (type is null)
                Fail(0, $"type [{id}] resolves to void, which has no size");
            if (depth == MaxResolveDepth)
                Loop(type);
            switch (type.Kind)
            {
                case BtfKind.Int or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64
                    or BtfKind.Datasec or BtfKind.Float:
                    return Multiply(elements, type.Size, type);
                case BtfKind.Ptr:
                    return Multiply(elements, 8, type);
                case BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
                    or BtfKind.Var or BtfKind.TypeTag:
                    type = this[type.Type];
                    break;
                case BtfKind.Array:
                    elements = Multiply(elements, type.Array.ElementCount, type);
                    type = this[type.Array.ElementType];
                    break;
                default:
                    Fail(type.RecordOffset, $"{type} (reached from type [{id}]) has no size: a {type.Kind.ToString().ToUpperInvariant()} cannot be sized");
                    return 0;
            }
        }
    }

    internal static bool IsModifierOrTypedef(BtfKind kind) =>
        kind is BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag;

    private ulong Multiply(ulong elements, ulong size, BtfType type)
    {
        var product = (UInt128)elements * size;
        if (product > uint.MaxValue)
            Fail(type.RecordOffset, $"the size of {type} times its array dimensions exceeds 4 GiB; the BTF is corrupt, rebuild the object");
        return (ulong)product;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Loop(BtfType type) =>
        Fail(type.RecordOffset, $"{type} is part of a type loop (more than {MaxResolveDepth} modifiers, typedefs or arrays in a row); the BTF is corrupt, rebuild the object");

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    internal void Fail(int recordOffset, string message) =>
        BpfObjectException.Throw(_objectName, _sectionName, _typeSectionOffset + recordOffset, message);
}
