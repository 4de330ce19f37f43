using CpuMap.Managed.Elf.Btf;
using CpuMap.Managed.Elf.ElfFormat;

namespace CpuMap.Managed.Elf.Maps;

/// <summary>
/// Reads BTF-defined maps (the ".maps" section) the way libbpf's parse_btf_map_def does. The
/// section's bytes are all zero: every attribute lives in the BTF of the map's struct, where
/// __uint(x, N) is a pointer to an array of N elements and __type(x, T) a pointer to T.
/// </summary>
internal static class BtfMapReader
{
    private const uint BTF_VAR_GLOBAL_ALLOCATED = 1;

    public static List<BpfMapDefinition> Read(ElfImage image, ElfSection section, BtfTypes? btf)
    {
        var objectName = image.ObjectName;
        if (btf is null)
            BpfObjectException.Throw(objectName, section.Name, 0, "BTF-defined maps need the object's .BTF section, which is missing; compile with clang -g");
        var datasec = btf.Find(section.Name, BtfKind.Datasec);
        if (datasec is null)
            BpfObjectException.Throw(objectName, section.Name, 0, $"the .BTF has no DATASEC '{section.Name}' describing the maps; compile with clang -g and declare maps with SEC(\".maps\")");

        var maps = new List<BpfMapDefinition>();
        foreach (var secinfo in datasec.Variables)
        {
            var variable = btf[secinfo.Type];
            if (variable is null || variable.Kind != BtfKind.Var)
                btf.Fail(datasec.RecordOffset, $"DATASEC '{section.Name}' lists {variable?.ToString() ?? "void"}, which is not a VAR; the BTF is corrupt, rebuild the object");
            var name = variable.Name;
            var symbol = FindSymbol(image, section, name);
            if (variable.Linkage != BTF_VAR_GLOBAL_ALLOCATED || symbol?.Binding == ElfSymbolBinding.Local)
                BpfObjectException.Throw(objectName, section.Name, (long)(symbol?.Value ?? 0), $"map '{name}' is static (BTF linkage {variable.Linkage}); a map must be a global variable so the loader can name and share it (libbpf rejects static maps too): remove 'static'");
            if (symbol is null)
                BpfObjectException.Throw(objectName, section.Name, 0, $"map '{name}' is in the BTF DATASEC but has no ELF symbol in '{section.Name}'; the object is corrupt, rebuild it");
            if (symbol.Value > section.Size || symbol.Size > section.Size - symbol.Value)
                BpfObjectException.Throw(objectName, section.Name, (long)symbol.Value, $"map '{name}' ({symbol.Size} bytes at 0x{symbol.Value:x}) lies outside the {section.Size}-byte section; the object is corrupt, rebuild it");
            var map = new BpfMapDefinition(name, section, symbol.Value, symbol.Size, isLegacy: false);
            var definition = btf.SkipModifiersAndTypedefs(variable.Type);
            if (definition is null || definition.Kind != BtfKind.Struct)
                Fail(image, section, map, $"its type is {definition?.ToString() ?? "void"}, not a struct; declare it as struct {{ __uint(type, ...); ... }} {name} SEC(\".maps\")");
            ParseDefinition(image, section, btf, map, definition, isInner: false);
            maps.Add(map);
        }
        return maps;
    }

    private static ElfSymbol? FindSymbol(ElfImage image, ElfSection section, string name)
    {
        foreach (var symbol in image.Symbols)
            if (symbol.SectionIndex == section.Index && symbol.Type != ElfSymbolType.Section && symbol.Name == name)
                return symbol;
        return null;
    }

    private static void ParseDefinition(ElfImage image, ElfSection section, BtfTypes btf, BpfMapDefinition map, BtfType definition, bool isInner)
    {
        var members = definition.Members;
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            switch (member.Name)
            {
                case "type":
                    map.Type = (BpfMapType)Int(image, section, btf, map, member);
                    break;
                case "max_entries":
                    map.MaxEntries = Int(image, section, btf, map, member);
                    break;
                case "map_flags":
                    map.MapFlags = (BpfMapFlags)Int(image, section, btf, map, member);
                    break;
                case "numa_node":
                    map.NumaNode = Int(image, section, btf, map, member);
                    break;
                case "pinning":
                    map.Pinning = Int(image, section, btf, map, member);
                    if (map.Pinning > 1)
                        Fail(image, section, map, $"pinning {map.Pinning} is neither LIBBPF_PIN_NONE (0) nor LIBBPF_PIN_BY_NAME (1)");
                    break;
                case "map_extra":
                    map.MapExtra = Long(image, section, btf, map, member);
                    break;
                case "key_size":
                    map.KeySize = Size(image, section, map, "key", map.KeySize, Int(image, section, btf, map, member));
                    break;
                case "value_size":
                    map.ValueSize = Size(image, section, map, "value", map.ValueSize, Int(image, section, btf, map, member));
                    break;
                case "key":
                    map.KeyTypeId = Pointee(image, section, btf, map, member);
                    map.KeySize = Size(image, section, map, "key", map.KeySize, btf.ResolveSize(map.KeyTypeId));
                    break;
                case "value":
                    map.ValueTypeId = Pointee(image, section, btf, map, member);
                    map.ValueSize = Size(image, section, map, "value", map.ValueSize, btf.ResolveSize(map.ValueTypeId));
                    break;
                case "values":
                    ParseValues(image, section, btf, map, member, isLast: i == members.Count - 1, isInner);
                    break;
                default:
                    Fail(image, section, map, $"unknown attribute '{member.Name}'; the known ones are type, key, value, key_size, value_size, max_entries, map_flags, numa_node, pinning, map_extra and values");
                    break;
            }
        }
    }

    /// <summary>__array(values, T): a zero-length array of pointers to the inner map's struct (map
    /// in map) or to a FUNC_PROTO (program array). The slots are filled by .rel.maps.</summary>
    private static void ParseValues(ElfImage image, ElfSection section, BtfTypes btf, BpfMapDefinition map, BtfMember member, bool isLast, bool isInner)
    {
        var isMapInMap = map.Type is BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps;
        var isProgArray = map.Type == BpfMapType.ProgArray;
        if (isMapInMap && isInner)
            Fail(image, section, map, "an inner map may not have 'values' itself: maps nest one level only");
        if (!isLast)
            Fail(image, section, map, "'values' must be the last attribute, because its initializer grows the struct");
        if (!isMapInMap && !isProgArray)
            Fail(image, section, map, $"'values' is only for BPF_MAP_TYPE_ARRAY_OF_MAPS, HASH_OF_MAPS and PROG_ARRAY, and 'type' is {KernelNames.Of(map.Type)} (declare 'type' before 'values')");
        map.ValueSize = Size(image, section, map, "value", map.ValueSize, 4);
        var array = btf[member.Type];
        if (array is null || array.Kind != BtfKind.Array)
            Fail(image, section, map, $"'values' is {array?.ToString() ?? "void"}, not an array; declare it with __array(values, T)");
        if (array.Array.ElementCount != 0)
            Fail(image, section, map, $"'values' has {array.Array.ElementCount} elements; declare it with __array(values, T), a flexible array");
        var pointer = btf.SkipModifiersAndTypedefs(array.Array.ElementType);
        if (pointer is null || pointer.Kind != BtfKind.Ptr)
            Fail(image, section, map, $"the elements of 'values' are {pointer?.ToString() ?? "void"}, not pointers; declare it with __array(values, T)");
        var target = btf.SkipModifiersAndTypedefs(pointer.Type);
        if (member.BitfieldSize != 0 || member.BitOffset % 8 != 0)
            Fail(image, section, map, "'values' is a bitfield");
        map.ValuesOffset = (int)(member.BitOffset / 8);
        if (isProgArray)
        {
            if (target is null || target.Kind != BtfKind.FuncProto)
                Fail(image, section, map, $"a program array's 'values' must point to a function prototype, not {target?.ToString() ?? "void"}; declare it with __array(values, int (void *))");
            return;
        }
        if (target is null || target.Kind != BtfKind.Struct)
            Fail(image, section, map, $"a map-in-map's 'values' must point to the inner map's struct, not {target?.ToString() ?? "void"}");
        var inner = new BpfMapDefinition(map.Name + ".inner", section, map.Offset, 0, isLegacy: false);
        ParseDefinition(image, section, btf, inner, target, isInner: true);
        map.InnerMap = inner;
    }

    /// <summary>libbpf's get_map_field_int: a pointer to an array whose length is the value.</summary>
    private static uint Int(ElfImage image, ElfSection section, BtfTypes btf, BpfMapDefinition map, BtfMember member)
    {
        var pointer = btf.SkipModifiersAndTypedefs(member.Type);
        if (pointer is null || pointer.Kind != BtfKind.Ptr)
            Fail(image, section, map, $"attribute '{member.Name}' is {pointer?.ToString() ?? "void"}, not a pointer to an array; declare it with __uint({member.Name}, N)");
        var array = btf[pointer.Type];
        if (array is null || array.Kind != BtfKind.Array)
            Fail(image, section, map, $"attribute '{member.Name}' points to {array?.ToString() ?? "void"}, not an array; declare it with __uint({member.Name}, N)");
        return array.Array.ElementCount;
    }

    /// <summary>libbpf's get_map_field_long: __uint, or __ulong's one-enumerator ENUM/ENUM64.</summary>
    private static ulong Long(ElfImage image, ElfSection section, BtfTypes btf, BpfMapDefinition map, BtfMember member)
    {
        var type = btf.SkipModifiersAndTypedefs(member.Type);
        if (type is not null && type.Kind == BtfKind.Ptr)
            return Int(image, section, btf, map, member);
        if (type is null || type.Kind is not (BtfKind.Enum or BtfKind.Enum64) || type.EnumValues.Count != 1)
            Fail(image, section, map, $"attribute '{member.Name}' is {type?.ToString() ?? "void"}; declare it with __uint({member.Name}, N) or __ulong({member.Name}, N)");
        return (ulong)type.EnumValues[0].Value;
    }

    private static uint Pointee(ElfImage image, ElfSection section, BtfTypes btf, BpfMapDefinition map, BtfMember member)
    {
        var pointer = btf[member.Type];
        if (pointer is null || pointer.Kind != BtfKind.Ptr)
            Fail(image, section, map, $"attribute '{member.Name}' is {pointer?.ToString() ?? "void"}, not a pointer; declare it with __type({member.Name}, T)");
        return pointer.Type;
    }

    private static uint Size(ElfImage image, ElfSection section, BpfMapDefinition map, string what, uint current, ulong size)
    {
        if (size > uint.MaxValue)
            Fail(image, section, map, $"the {what} size {size} does not fit the kernel's 32-bit {what}_size");
        if (current != 0 && current != size)
            Fail(image, section, map, $"conflicting {what} sizes {current} and {size}: {what}_size and __type({what}, T) disagree");
        return (uint)size;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Fail(ElfImage image, ElfSection section, BpfMapDefinition map, string message) =>
        BpfObjectException.Throw(image.ObjectName, section.Name, (long)map.Offset, $"map '{map.Name}': {message}");
}
