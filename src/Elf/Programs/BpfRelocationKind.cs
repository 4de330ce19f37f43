namespace CpuMap.Managed.Elf;

/// <summary>What an instruction relocation refers to, decided from the instruction and the section
/// of its symbol (as libbpf's bpf_program__record_reloc does).</summary>
public enum BpfRelocationKind
{
    /// <summary>ld_imm64 of a map: the loader puts the map fd in (src_reg BPF_PSEUDO_MAP_FD).</summary>
    MapReference,

    /// <summary>ld_imm64 into .data/.rodata/.bss: the loader puts the global data map and the
    /// offset in (src_reg BPF_PSEUDO_MAP_VALUE).</summary>
    GlobalData,

    /// <summary>call to a .text subprogram (BPF-to-BPF call, src_reg BPF_PSEUDO_CALL).</summary>
    SubprogramCall,

    /// <summary>ld_imm64 of a .text function's address, e.g. a bpf_loop callback (BPF_PSEUDO_FUNC).</summary>
    SubprogramAddress,

    /// <summary>call to a <c>__ksym</c> kernel function (a kfunc): the loader puts its kernel BTF id in
    /// (src_reg BPF_PSEUDO_KFUNC_CALL). <see cref="BpfProgramRelocation.TargetName"/> names the extern.</summary>
    ExternCall,

    /// <summary>ld_imm64 of an extern: a <c>__kconfig</c> value (the .kconfig map and its offset, BPF_PSEUDO_MAP_VALUE)
    /// or a <c>__ksym</c> (its kernel BTF id, BPF_PSEUDO_BTF_ID; 0 for a weak one the kernel lacks).</summary>
    ExternLoad,
}
