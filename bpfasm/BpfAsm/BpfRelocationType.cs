namespace BpfAsm;

/// <summary>ELF relocation types of the BPF target (<c>R_BPF_*</c> in the psABI and llvm's BPF.def).</summary>
public enum BpfRelocationType
{
    R_BPF_NONE = 0,
    /// <summary>On a 64-bit immediate load: the address of a map or global (a loader puts an fd there).</summary>
    R_BPF_64_64 = 1,
    R_BPF_64_ABS64 = 2,
    R_BPF_64_ABS32 = 3,
    R_BPF_64_NODYLD32 = 4,
    /// <summary>On a call: a BPF-to-BPF or kfunc call target.</summary>
    R_BPF_64_32 = 10,
}
