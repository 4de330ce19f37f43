using CpuMap.Managed.Elf.Btf;
using CpuMap.Managed.Elf.ElfFormat;

namespace CpuMap.Managed.Elf.GlobalData;

/// <summary>Reads .rodata*, .data* and .bss* sections and their variables (ELF symbols for
/// offsets and sizes, the BTF DATASEC for types).</summary>
internal static class GlobalDataReader
{
    // The kernel refuses array values larger than KMALLOC_MAX_SIZE (4 MiB on x86-64 and arm64)
    // with E2BIG, so a larger .bss can never load; refusing it here also keeps a corrupt sh_size
    // from allocating gigabytes of zeros.
    private const ulong MaxSize = 4 << 20;

    public static GlobalDataKind? Classify(string name) =>
        IsNamed(name, ".rodata") ? GlobalDataKind.ReadOnlyData
        : IsNamed(name, ".data") ? GlobalDataKind.Data
        : IsNamed(name, ".bss") ? GlobalDataKind.Bss
        : null;

    public static GlobalDataSection Read(ElfImage image, ElfSection section, GlobalDataKind kind, BtfTypes? btf)
    {
        ReadOnlyMemory<byte> value;
        if (section.Type == ElfConstants.SHT_NOBITS)
        {
            if (section.Size > MaxSize)
                BpfObjectException.Throw(image.ObjectName, section.Name, 0, $"the section is {section.Size} bytes; the kernel creates global data maps of at most {MaxSize} bytes (KMALLOC_MAX_SIZE): make the variables smaller or use a map");
            value = new byte[section.Size];
        }
        else
        {
            value = section.Data;
        }

        var types = VariableTypes(btf, section.Name);
        var variables = new List<GlobalVariable>();
        foreach (var symbol in image.Symbols)
        {
            if (symbol.SectionIndex != section.Index || symbol.Type != ElfSymbolType.Object)
                continue;
            if (symbol.Value > (ulong)value.Length || symbol.Size > (ulong)value.Length - symbol.Value)
                BpfObjectException.Throw(image.ObjectName, section.Name, (long)symbol.Value, $"variable '{symbol.Name}' ({symbol.Size} bytes at 0x{symbol.Value:x}) lies outside the {value.Length}-byte section; the object is corrupt, rebuild it");
            types.TryGetValue(symbol.Name, out var typeId);
            variables.Add(new GlobalVariable(symbol.Name, (int)symbol.Value, (int)symbol.Size, typeId, symbol.Binding));
        }
        variables.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        return new GlobalDataSection(section, kind, value, variables);
    }

    private static bool IsNamed(string name, string prefix) =>
        name.StartsWith(prefix, StringComparison.Ordinal) && (name.Length == prefix.Length || name[prefix.Length] == '.');

    private static Dictionary<string, uint> VariableTypes(BtfTypes? btf, string sectionName)
    {
        var types = new Dictionary<string, uint>(StringComparer.Ordinal);
        var datasec = btf?.Find(sectionName, BtfKind.Datasec);
        if (btf is null || datasec is null)
            return types;
        foreach (var secinfo in datasec.Variables)
            if (btf[secinfo.Type] is { Kind: BtfKind.Var } variable)
                types.TryAdd(variable.Name, variable.Type);
        return types;
    }
}
