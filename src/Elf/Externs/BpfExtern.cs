using CpuMap.Managed.Elf.Btf;

namespace CpuMap.Managed.Elf;

/// <summary>
/// A symbol the object uses but does not define, which the loader resolves against the running kernel:
/// a <c>__ksym</c> kfunc or kernel variable, or a <c>__kconfig</c> value.
/// </summary>
/// <param name="Name">The symbol's name, which is also the kernel's name for it (CONFIG_HZ, bpf_dynptr_from_xdp).</param>
/// <param name="Kind">Which extern section declares it.</param>
/// <param name="IsWeak">Declared <c>__weak</c>: when the kernel lacks it, it resolves to zero (a kfunc to "absent",
/// which bpf_ksym_exists() tests) instead of failing the load.</param>
/// <param name="Type">Its BTF in the object: a FUNC for a kfunc, else a VAR.</param>
public sealed record BpfExtern(string Name, BpfExternKind Kind, bool IsWeak, BtfType Type)
{
    /// <summary>A kernel function (kfunc) rather than a variable or value.</summary>
    public bool IsFunction => Type.Kind == BtfKind.Func;
}
