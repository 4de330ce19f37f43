namespace CpuMap.Managed.Elf.Btf;

/// <summary>
/// One BTF type (struct btf_type and the kind's trailing data). Fields that a kind does not have
/// are 0 or empty: <see cref="Size"/> is set for INT, STRUCT, UNION, ENUM, ENUM64, DATASEC and
/// FLOAT; <see cref="Type"/> for PTR, TYPEDEF, the modifiers, FUNC, FUNC_PROTO (return type), VAR,
/// DECL_TAG and TYPE_TAG.
/// </summary>
public sealed class BtfType
{
    internal BtfType(uint id, BtfKind kind, string name, bool kindFlag, ushort vlen, uint sizeOrType, int recordOffset)
    {
        Id = id;
        Kind = kind;
        Name = name;
        KindFlag = kindFlag;
        Vlen = vlen;
        SizeOrType = sizeOrType;
        RecordOffset = recordOffset;
    }

    /// <summary>The type id (1-based; 0 is void and has no record).</summary>
    public uint Id { get; }
    /// <summary>BTF_INFO_KIND(info): what kind of type this is.</summary>
    public BtfKind Kind { get; }
    /// <summary>The name from the BTF string section; empty for anonymous types.</summary>
    public string Name { get; }
    /// <summary>BTF_INFO_KFLAG(info): for STRUCT/UNION, member offsets hold bitfield sizes; for FWD, a union; for ENUM/ENUM64, signed values.</summary>
    public bool KindFlag { get; }
    /// <summary>BTF_INFO_VLEN(info): the number of members, values, parameters or variables that follow.</summary>
    public ushort Vlen { get; }
    /// <summary>The raw size/type union of struct btf_type.</summary>
    public uint SizeOrType { get; }
    /// <summary>Offset of the record within the BTF type section, for messages.</summary>
    public int RecordOffset { get; }

    /// <summary>The size in bytes, for the kinds that have one (see the type's summary); 0 otherwise.</summary>
    public uint Size => HasSize(Kind) ? SizeOrType : 0;
    /// <summary>The referenced type id, for the kinds that refer to one (see the type's summary); 0 otherwise.</summary>
    public uint Type => HasSize(Kind) || Kind == BtfKind.Fwd ? 0 : SizeOrType;

    /// <summary>INT: BTF_INT_SIGNED (1), BTF_INT_CHAR (2), BTF_INT_BOOL (4).</summary>
    public byte IntEncoding { get; internal init; }
    /// <summary>INT: BTF_INT_OFFSET, the bit offset of the value.</summary>
    public byte IntOffset { get; internal init; }
    /// <summary>INT: BTF_INT_BITS, the number of value bits.</summary>
    public byte IntBits { get; internal init; }

    /// <summary>ARRAY: struct btf_array (element type, index type, element count).</summary>
    public BtfArray Array { get; internal init; }
    /// <summary>STRUCT, UNION: the struct btf_member records.</summary>
    public IReadOnlyList<BtfMember> Members { get; internal init; } = [];
    /// <summary>ENUM, ENUM64: the enumerators.</summary>
    public IReadOnlyList<BtfEnumValue> EnumValues { get; internal init; } = [];
    /// <summary>FUNC_PROTO: the struct btf_param records.</summary>
    public IReadOnlyList<BtfParam> Parameters { get; internal init; } = [];
    /// <summary>DATASEC: the struct btf_var_secinfo records (variable, offset, size).</summary>
    public IReadOnlyList<BtfVarSecInfo> Variables { get; internal init; } = [];

    /// <summary>VAR: BTF_VAR_STATIC (0), BTF_VAR_GLOBAL_ALLOCATED (1), BTF_VAR_GLOBAL_EXTERN (2).
    /// FUNC: BTF_FUNC_STATIC (0), BTF_FUNC_GLOBAL (1), BTF_FUNC_EXTERN (2) (kept in vlen).</summary>
    public uint Linkage { get; internal init; }

    /// <summary>DECL_TAG: the member or parameter index the tag applies to, -1 for the whole type.</summary>
    public int ComponentIndex { get; internal init; }

    /// <summary>ENUM/ENUM64 with the kind flag set hold signed values (clang 15 on; older
    /// compilers leave it clear); an INT is signed with BTF_INT_SIGNED.</summary>
    public bool IsSigned => (Kind is BtfKind.Enum or BtfKind.Enum64) ? KindFlag : Kind == BtfKind.Int && (IntEncoding & 1) != 0;

    internal static bool HasSize(BtfKind kind) =>
        kind is BtfKind.Int or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64 or BtfKind.Datasec or BtfKind.Float;

    /// <summary>The type as bpftool prints it: <c>[id] KIND 'name'</c>.</summary>
    public override string ToString() => $"[{Id}] {Kind.ToString().ToUpperInvariant()} '{Name}'";
}
