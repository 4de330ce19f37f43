namespace CpuMap.Managed.Elf.Btf;

/// <summary>One core_relo record of .BTF.ext (struct bpf_core_relo): the instruction at
/// <see cref="InsnOff"/> holds a compile-time answer (a field offset, a size, an enum value...)
/// about the object's type <see cref="TypeId"/> that must be replaced by the running kernel's.</summary>
/// <param name="InsnOff">A byte offset of the instruction in its section; the kernel also takes a
/// byte offset, but in the linked program.</param>
/// <param name="TypeId">The root type in the object's .BTF.</param>
/// <param name="AccessStrOff">The access string ("0:1:2": index into the root, then member or
/// element indices), an offset into the .BTF string section.</param>
/// <param name="Kind">What is asked.</param>
/// <param name="AccessString">The access string itself.</param>
public readonly record struct BtfCoreRelo(uint InsnOff, uint TypeId, uint AccessStrOff, BtfCoreReloKind Kind, string AccessString)
{
    /// <summary>The kind in the kernel's words, e.g. BPF_CORE_FIELD_BYTE_OFFSET.</summary>
    public string KindName => Kind switch
    {
        BtfCoreReloKind.FieldByteOffset => "BPF_CORE_FIELD_BYTE_OFFSET",
        BtfCoreReloKind.FieldByteSize => "BPF_CORE_FIELD_BYTE_SIZE",
        BtfCoreReloKind.FieldExists => "BPF_CORE_FIELD_EXISTS",
        BtfCoreReloKind.FieldSigned => "BPF_CORE_FIELD_SIGNED",
        BtfCoreReloKind.FieldLShiftU64 => "BPF_CORE_FIELD_LSHIFT_U64",
        BtfCoreReloKind.FieldRShiftU64 => "BPF_CORE_FIELD_RSHIFT_U64",
        BtfCoreReloKind.TypeIdLocal => "BPF_CORE_TYPE_ID_LOCAL",
        BtfCoreReloKind.TypeIdTarget => "BPF_CORE_TYPE_ID_TARGET",
        BtfCoreReloKind.TypeExists => "BPF_CORE_TYPE_EXISTS",
        BtfCoreReloKind.TypeSize => "BPF_CORE_TYPE_SIZE",
        BtfCoreReloKind.EnumvalExists => "BPF_CORE_ENUMVAL_EXISTS",
        BtfCoreReloKind.EnumvalValue => "BPF_CORE_ENUMVAL_VALUE",
        BtfCoreReloKind.TypeMatches => "BPF_CORE_TYPE_MATCHES",
        _ => $"CO-RE relocation kind {(uint)Kind}",
    };
}
