namespace CpuMap.Managed.Elf.Btf;

/// <summary>enum bpf_core_relo_kind (include/uapi/linux/bpf.h): what a CO-RE relocation asks of the target's BTF.</summary>
public enum BtfCoreReloKind : uint
{
    FieldByteOffset = 0,
    FieldByteSize = 1,
    FieldExists = 2,
    FieldSigned = 3,
    FieldLShiftU64 = 4,
    FieldRShiftU64 = 5,
    TypeIdLocal = 6,
    TypeIdTarget = 7,
    TypeExists = 8,
    TypeSize = 9,
    EnumvalExists = 10,
    EnumvalValue = 11,
    TypeMatches = 12,
}
