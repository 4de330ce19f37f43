using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader;

/// <summary>
/// Which BTF kinds the kernel takes at BPF_BTF_LOAD, as probed: what <see cref="ProgramBtfFixup"/>
/// must replace in an object's BTF before loading it (libbpf's "sanitize").
/// </summary>
public readonly record struct BtfKindSupport(bool Func, bool GlobalFunc, bool Datasec, bool Float, bool DeclTag, bool TypeTag, bool Enum64)
{
    /// <summary>Every kind: nothing is replaced.</summary>
    public static BtfKindSupport All => new(true, true, true, true, true, true, true);

    /// <summary>None of the optional kinds: the most a fixup replaces (for tests of the oldest kernels' path).</summary>
    public static BtfKindSupport None => default;

    /// <summary>The running kernel's answers (each probed once per process). An unknown answer
    /// counts as present: the load itself then tells.</summary>
    public static BtfKindSupport Kernel => new(
        Has(KernelFeatures.BtfFunc), Has(KernelFeatures.BtfGlobalFunc), Has(KernelFeatures.BtfDatasec), Has(KernelFeatures.BtfFloat),
        Has(KernelFeatures.BtfDeclTag), Has(KernelFeatures.BtfTypeTag), Has(KernelFeatures.BtfEnum64));

    private static bool Has(KernelFeature feature) => feature.State != FeatureState.Missing;
}
