using CpuMap.Managed.Elf.ElfFormat;

namespace CpuMap.Managed.Elf.Maps;

/// <summary>
/// Fills the initial slots of PROG_ARRAY and map-in-map definitions from ".rel.maps": each
/// R_BPF_64_ABS64 there points a `values[i]` slot at a program or a map.
/// </summary>
internal static class MapInitialValueReader
{
    public static void Read(ElfImage image, ElfSection mapsSection, ElfSection table, IReadOnlyList<BpfMapDefinition> maps, IReadOnlyList<BpfProgram> programs)
    {
        var reader = new RelocationReader(table, image);
        while (reader.TryRead(out var relocation))
        {
            var at = reader.RecordOffset;
            var symbol = image.Symbol(relocation.SymbolIndex, table.Name, at);
            var map = Containing(maps, relocation.Offset);
            if (map is null)
                BpfObjectException.Throw(image.ObjectName, table.Name, at, $"relocation at 0x{relocation.Offset:x} of '{mapsSection.Name}' is not inside any map; the object is corrupt, rebuild it");
            var slotOffset = (long)(relocation.Offset - map.Offset) - map.ValuesOffset;
            if (map.ValuesOffset < 0 || slotOffset < 0 || slotOffset % 8 != 0)
                BpfObjectException.Throw(image.ObjectName, table.Name, at, $"relocation at 0x{relocation.Offset:x} of map '{map.Name}' does not initialise a slot of its 'values' member; only `.values = {{ ... }}` may hold addresses");
            var index = (uint)(slotOffset / 8);
            if (map.Type == BpfMapType.ProgArray)
            {
                var program = Find(programs, symbol);
                if (program is null)
                    BpfObjectException.Throw(image.ObjectName, table.Name, at, $"program array '{map.Name}' slot {index} refers to '{symbol.Name}', which is not a program of this object; use the address of a SEC(\"...\") function");
                map.AddInitialValue(new BpfMapInitialValue(index, program.Name));
                continue;
            }
            var target = symbol.SectionIndex == mapsSection.Index ? Named(maps, symbol.Name) : null;
            if (target is null)
                BpfObjectException.Throw(image.ObjectName, table.Name, at, $"map-in-map '{map.Name}' slot {index} refers to '{symbol.Name}', which is not a map in '{mapsSection.Name}'; use the address of a map");
            map.AddInitialValue(new BpfMapInitialValue(index, target.Name));
        }
    }

    private static BpfMapDefinition? Containing(IReadOnlyList<BpfMapDefinition> maps, ulong offset)
    {
        foreach (var map in maps)
            if (!map.IsLegacy && offset >= map.Offset && offset - map.Offset < map.Size)
                return map;
        return null;
    }

    private static BpfMapDefinition? Named(IReadOnlyList<BpfMapDefinition> maps, string name)
    {
        foreach (var map in maps)
            if (map.Name == name)
                return map;
        return null;
    }

    private static BpfProgram? Find(IReadOnlyList<BpfProgram> programs, ElfSymbol symbol)
    {
        if (symbol.Type != ElfSymbolType.Func)
            return null;
        foreach (var program in programs)
            if (program.SectionIndex == symbol.SectionIndex && (ulong)program.Offset == symbol.Value)
                return program;
        return null;
    }
}
