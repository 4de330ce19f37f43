using CpuMap.Managed.Elf;
using CpuMap.Managed.Elf.Btf;

namespace CpuMap.Managed.Loader;

/// <summary>
/// An object's <c>__ksym</c> externs resolved against the running kernel's BTF (<see cref="KernelBtf.Vmlinux"/>, read
/// only when the object has one), as libbpf's bpf_object__resolve_ksyms_btf_id does: a kfunc is the FUNC of its name,
/// a kernel variable the VAR of its name. A weak one the kernel lacks resolves to 0 ("absent", which bpf_ksym_exists()
/// tests); a strong one fails the load naming it. Kernel modules' BTF is not searched.
/// </summary>
internal sealed class KernelSymbols
{
    private readonly Dictionary<string, uint> _ids;

    private KernelSymbols(Dictionary<string, uint> ids) => _ids = ids;

    /// <summary>Resolves every __ksym extern of <paramref name="bpfObject"/>.</summary>
    /// <exception cref="BpfLoadException">A strong extern the kernel does not have, or no kernel BTF to look in.</exception>
    public static KernelSymbols Resolve(BpfObject bpfObject)
    {
        var ids = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (var extern_ in bpfObject.Externs)
        {
            if (extern_.Kind != BpfExternKind.Ksym)
                continue;
            var kind = extern_.IsFunction ? BtfKind.Func : BtfKind.Var;
            RawBtf kernelBtf;
            try
            {
                kernelBtf = KernelBtf.Vmlinux;
            }
            catch (BpfOperationException e) when (e.Operation == KernelBtf.Operation)
            {
                throw new BpfLoadException(bpfObject.Name, null, null, $"__ksym extern '{extern_.Name}' is looked up in the kernel's BTF: {e.Message}", e);
            }
            var id = kernelBtf.Find(extern_.Name, kind) ?? 0;
            if (id == 0 && !extern_.IsWeak)
                throw new BpfLoadException(bpfObject.Name, null, null, extern_.IsFunction
                    ? $"it calls kfunc '{extern_.Name}', which the running kernel does not have: its BTF ({KernelBtf.VmlinuxPath}) has no FUNC " +
                      $"'{extern_.Name}' (kfuncs of kernel modules are not searched). Run on a kernel that has it, or declare it __weak and call it " +
                      $"only when bpf_ksym_exists({extern_.Name}) is true"
                    : $"it reads kernel variable '{extern_.Name}' (__ksym), which the running kernel's BTF ({KernelBtf.VmlinuxPath}) does not have " +
                      "(the kernel's BTF describes per-CPU variables only). Run on a kernel that has it, or declare it __weak and test its address");
            ids.Add(extern_.Name, id);
        }
        return new KernelSymbols(ids);
    }

    /// <summary>
    /// What to add to a BPF_PROG_LOAD refusal of <paramref name="linked"/>, or "": the kernel answers
    /// ENOENT ("ldimm64 failed to find the address for kernel symbol") for a __ksym variable that is in its BTF but not in
    /// kallsyms, which lists variables only with CONFIG_KALLSYMS_ALL=y.
    /// </summary>
    public static string RefusalNote(BpfObject bpfObject, LinkedProgram linked, Syscalls.BpfException e)
    {
        if (e.Errno != Errno.ENOENT)
            return "";
        var variables = linked.Metadata.Select(m => m?.Reference).OfType<BpfAsm.SymbolReference>()
            .Where(r => r.Kind == BpfAsm.ReferenceKind.Extern)
            .Select(r => bpfObject.Externs.FirstOrDefault(x => x.Name == r.Name))
            .Where(x => x is { Kind: BpfExternKind.Ksym, IsFunction: false })
            .Select(x => $"'{x!.Name}'").Distinct().ToList();
        return variables.Count == 0 ? "" :
            $" (the kernel could not find the address of kernel variable {string.Join(", ", variables)} (__ksym): it looks variables up in " +
            "kallsyms, which lists them only in kernels built with CONFIG_KALLSYMS_ALL=y; libbpf's load fails alike on such a kernel)";
    }

    /// <summary>The kernel BTF id of <paramref name="name"/>, 0 for a weak extern the kernel lacks.</summary>
    public uint IdOf(string name) => _ids[name];
}
