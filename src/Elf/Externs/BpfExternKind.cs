namespace CpuMap.Managed.Elf;

/// <summary>Where an extern's value comes from, as libbpf's extern sections name it.</summary>
public enum BpfExternKind
{
    /// <summary><c>__kconfig</c> (BTF DATASEC ".kconfig"): a CONFIG_* option of the running kernel, or one of the
    /// values libbpf provides (LINUX_KERNEL_VERSION), read by the program from the read-only .kconfig map.</summary>
    Kconfig,

    /// <summary><c>__ksym</c> (BTF DATASEC ".ksyms"): a kernel function (a kfunc, called with
    /// BPF_PSEUDO_KFUNC_CALL) or a kernel variable (loaded with BPF_PSEUDO_BTF_ID), both by their id in the
    /// kernel's BTF.</summary>
    Ksym,
}
