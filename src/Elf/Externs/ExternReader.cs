using CpuMap.Managed.Elf.Btf;
using CpuMap.Managed.Elf.ElfFormat;

namespace CpuMap.Managed.Elf.Externs;

/// <summary>
/// The object's externs as libbpf's bpf_object__collect_externs finds them: undefined ELF symbols that BTF
/// declares in DATASEC ".kconfig" (<c>__kconfig</c>) or ".ksyms" (<c>__ksym</c>). An undefined symbol in
/// neither is not an extern a loader can resolve, and is refused where a program refers to it.
/// </summary>
internal static class ExternReader
{
    public const string KconfigSection = ".kconfig";
    public const string KsymsSection = ".ksyms";

    public static Dictionary<string, BpfExtern> Read(ElfImage image, BtfTypes? btf)
    {
        var externs = new Dictionary<string, BpfExtern>(StringComparer.Ordinal);
        if (btf is null)
            return externs;
        var undefined = new Dictionary<string, ElfSymbol>(StringComparer.Ordinal);
        foreach (var symbol in image.Symbols)
            if (symbol.IsUndefined && symbol.Name.Length > 0)
                undefined.TryAdd(symbol.Name, symbol);
        if (undefined.Count == 0)
            return externs;
        foreach (var datasec in btf.Types)
        {
            if (datasec.Kind != BtfKind.Datasec || datasec.Name is not (KconfigSection or KsymsSection))
                continue;
            var kind = datasec.Name == KconfigSection ? BpfExternKind.Kconfig : BpfExternKind.Ksym;
            foreach (var entry in datasec.Variables)
            {
                var type = btf[entry.Type];
                if (type is null || type.Kind is not (BtfKind.Var or BtfKind.Func) || (kind == BpfExternKind.Kconfig && type.Kind != BtfKind.Var))
                    BpfObjectException.Throw(image.ObjectName, ".BTF", 0,
                        $"BTF DATASEC '{datasec.Name}' holds {type?.ToString() ?? "void"}, which is not an extern {(kind == BpfExternKind.Kconfig ? "VAR" : "VAR or FUNC")}; the object is corrupt, rebuild it");
                if (!undefined.TryGetValue(type.Name, out var symbol))
                    continue; // declared but never referenced: clang keeps no symbol, and nothing needs it
                externs.TryAdd(type.Name, new BpfExtern(type.Name, kind, symbol.Binding == ElfSymbolBinding.Weak, type));
            }
        }
        return externs;
    }
}
