namespace CpuMap.Managed.Elf.Btf;

/// <summary>enum bpf_core_relo_kind (include/uapi/linux/bpf.h): what a CO-RE relocation asks of the target's BTF.</summary>
public enum BtfCoreReloKind : uint
{
    /// <summary><c>BPF_CORE_FIELD_BYTE_OFFSET</c>: the field's byte offset in the target type.</summary>
    FieldByteOffset = 0,
    /// <summary><c>BPF_CORE_FIELD_BYTE_SIZE</c>: the field's size in bytes.</summary>
    FieldByteSize = 1,
    /// <summary><c>BPF_CORE_FIELD_EXISTS</c>: 1 if the target has the field, else 0.</summary>
    FieldExists = 2,
    /// <summary><c>BPF_CORE_FIELD_SIGNED</c>: 1 if the field is signed.</summary>
    FieldSigned = 3,
    /// <summary><c>BPF_CORE_FIELD_LSHIFT_U64</c>: the left shift that extracts a bitfield from a u64.</summary>
    FieldLShiftU64 = 4,
    /// <summary><c>BPF_CORE_FIELD_RSHIFT_U64</c>: the right shift that extracts a bitfield from a u64.</summary>
    FieldRShiftU64 = 5,
    /// <summary><c>BPF_CORE_TYPE_ID_LOCAL</c>: the type's id in the program's own BTF.</summary>
    TypeIdLocal = 6,
    /// <summary><c>BPF_CORE_TYPE_ID_TARGET</c>: the type's id in the target's BTF.</summary>
    TypeIdTarget = 7,
    /// <summary><c>BPF_CORE_TYPE_EXISTS</c>: 1 if the target has a compatible type.</summary>
    TypeExists = 8,
    /// <summary><c>BPF_CORE_TYPE_SIZE</c>: the type's size in bytes in the target.</summary>
    TypeSize = 9,
    /// <summary><c>BPF_CORE_ENUMVAL_EXISTS</c>: 1 if the target's enum has the value.</summary>
    EnumvalExists = 10,
    /// <summary><c>BPF_CORE_ENUMVAL_VALUE</c>: the enumerator's value in the target.</summary>
    EnumvalValue = 11,
    /// <summary><c>BPF_CORE_TYPE_MATCHES</c>: 1 if the target type matches the local one exactly (bpf_core_type_matches).</summary>
    TypeMatches = 12,
}
