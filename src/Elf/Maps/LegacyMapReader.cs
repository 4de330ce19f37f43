using CpuMap.Managed.Elf.ElfFormat;

namespace CpuMap.Managed.Elf.Maps;

/// <summary>
/// Reads the legacy "maps" section: one struct bpf_map_def { type, key_size, value_size,
/// max_entries, map_flags } per symbol. Records are sized by their symbol (or, as libbpf does, by
/// the section size over the symbol count when the compiler left sizes 0); fields a shorter record
/// lacks are 0, and bytes past map_flags (e.g. iproute2's id and pinning) are not read.
/// </summary>
internal static class LegacyMapReader
{
    private const int FieldCount = 5;

    public static List<BpfMapDefinition> Read(ElfImage image, ElfSection section)
    {
        var symbols = new List<ElfSymbol>();
        foreach (var symbol in image.Symbols)
            if (symbol.SectionIndex == section.Index && symbol.Type is not (ElfSymbolType.Section or ElfSymbolType.File))
                symbols.Add(symbol);
        symbols.Sort((a, b) => a.Value.CompareTo(b.Value));

        var maps = new List<BpfMapDefinition>(symbols.Count);
        if (symbols.Count == 0)
            return maps;
        var data = new SpanReader(section.Data.Span, image.ObjectName, section.Name);
        var defaultSize = section.Size / (ulong)symbols.Count;
        Span<uint> fields = stackalloc uint[FieldCount];
        foreach (var symbol in symbols)
        {
            if (symbol.Binding == ElfSymbolBinding.Local)
                data.Fail((long)symbol.Value, $"map '{symbol.Name}' is static; a map must be a global variable so the loader can name and share it (libbpf rejects static maps too): remove 'static'");
            var size = symbol.Size != 0 ? symbol.Size : defaultSize;
            if (symbol.Value > section.Size || size > section.Size - symbol.Value)
                data.Fail((long)symbol.Value, $"map '{symbol.Name}' ({size} bytes at 0x{symbol.Value:x}) lies outside the {section.Size}-byte section; the object is corrupt, rebuild it");
            var record = new SpanReader(data.Slice((long)symbol.Value, (long)size, $"map '{symbol.Name}'"), image.ObjectName, section.Name);
            fields.Clear();
            for (var i = 0; i < FieldCount && record.Remaining >= 4; i++)
                fields[i] = record.ReadUInt32();
            maps.Add(new BpfMapDefinition(symbol.Name, section, symbol.Value, size, isLegacy: true)
            {
                Type = (BpfMapType)fields[0],
                KeySize = fields[1],
                ValueSize = fields[2],
                MaxEntries = fields[3],
                MapFlags = (BpfMapFlags)fields[4],
            });
        }
        return maps;
    }
}
