namespace BpfAsm;

/// <summary>ELF64_R_TYPE for EM_BPF, under the names in the psABI and llvm's ELFRelocs/BPF.def.</summary>
public enum BpfRelocationType : uint
{
    /// <summary>No relocation.</summary>
    R_BPF_NONE = 0,
    /// <summary>ld_imm64 against a map or global data (a loader patches the 64-bit immediate with an fd).</summary>
    R_BPF_64_64 = 1,
    /// <summary>A 64-bit data address, e.g. a program or map in a map's initial `values`.</summary>
    R_BPF_64_ABS64 = 2,
    /// <summary>A 32-bit data address, e.g. in DWARF sections.</summary>
    R_BPF_64_ABS32 = 3,
    /// <summary>Like ABS32 but not applied by dynamic loaders; used in .BTF and .BTF.ext.</summary>
    R_BPF_64_NODYLD32 = 4,
    /// <summary>A BPF-to-BPF or kfunc call target (call with src_reg BPF_PSEUDO_CALL or BPF_PSEUDO_KFUNC_CALL).</summary>
    R_BPF_64_32 = 10,
}
