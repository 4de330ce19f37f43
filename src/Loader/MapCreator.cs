using CpuMap.Managed.Elf;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader;

/// <summary>
/// Creates the kernel maps for an object's definitions and global data, without BTF (key and
/// value types are known to the kernel by size only, as for maps made by hand).
/// </summary>
internal static class MapCreator
{
    private static readonly Lazy<uint> PossibleCpuSlots = new(() => (uint)CpuList.Possible.Max() + 1);

    /// <summary>CPU numbers a per-CPU map must hold: the highest possible CPU plus one, which is
    /// what libbpf calls the number of possible CPUs (it is the same with no holes in the list).</summary>
    public static uint PossibleCpus => PossibleCpuSlots.Value;

    /// <summary>
    /// The max_entries the kernel gets: a CPUMAP of 0 entries or of more than there are possible
    /// CPUs gets one per possible CPU, a DEVMAP or PERF_EVENT_ARRAY of 0 entries the same (as libbpf does).
    /// </summary>
    public static uint MaxEntries(BpfMapType type, uint declared) => type switch
    {
        BpfMapType.Cpumap when declared == 0 || declared > PossibleCpus => PossibleCpus,
        BpfMapType.Devmap or BpfMapType.PerfEventArray when declared == 0 => PossibleCpus,
        _ => declared,
    };

    public static MapFd Create(string objectName, BpfMapDefinition definition)
    {
        var type = (BpfMapType)definition.Type;
        if (type == BpfMapType.Unspec || !Enum.IsDefined(type))
            throw new BpfLoadException(objectName, definition.Name, null,
                $"map type {definition.Type} is not one this loader knows (the highest is {(uint)Enum.GetValues<BpfMapType>().Max()}, " +
                "BPF_MAP_TYPE_ARENA); check __uint(type, ...) in the map definition");
        if (type is BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps && definition.InnerMap is null)
            throw new BpfLoadException(objectName, definition.Name, null,
                "a map-in-map needs the shape of its inner maps: declare it with __array(values, struct { ... }) in the definition");

        MapFd? inner = null;
        try
        {
            if (definition.InnerMap is { } innerDefinition)
                inner = Create(objectName, innerDefinition);
            var flags = (BpfMapFlags)definition.MapFlags;
            var numaNode = (flags & BpfMapFlags.NumaNode) != 0 ? (int?)definition.NumaNode : null;
            var maxEntries = MaxEntries(type, definition.MaxEntries);
            try
            {
                return Bpf.MapCreate(type, definition.KeySize, definition.ValueSize, maxEntries, flags & ~BpfMapFlags.NumaNode,
                    KernelObjectNames.ForKernel(definition.Name), inner, numaNode, definition.MapExtra);
            }
            catch (BpfException e)
            {
                throw new BpfLoadException(objectName, definition.Name, null,
                    $"the kernel refused BPF_MAP_TYPE_{KernelNames.ToUpperSnake(type.ToString())} with key_size {definition.KeySize}, " +
                    $"value_size {definition.ValueSize}, max_entries {maxEntries}, map_flags 0x{definition.MapFlags:x}", e);
            }
        }
        finally
        {
            // The outer map keeps what it needs of the template; the template itself is not used again.
            inner?.Dispose();
        }
    }

    /// <summary>The one-element ARRAY holding a global data section, with its initial value
    /// written; .rodata is read-only to programs and frozen, so user space cannot change it either.</summary>
    public static MapFd CreateGlobalData(string objectName, string kernelName, GlobalDataSection section, ReadOnlySpan<byte> value)
    {
        var readOnly = section.Kind == GlobalDataKind.ReadOnlyData;
        MapFd? map = null;
        try
        {
            map = Bpf.MapCreate(BpfMapType.Array, sizeof(uint), (uint)section.Size, 1,
                readOnly ? BpfMapFlags.RdonlyProg : BpfMapFlags.None, kernelName);
            if (section.Kind != GlobalDataKind.Bss || value.ContainsAnyExcept((byte)0))
                Bpf.MapUpdateElem(map, [0, 0, 0, 0], value);
            if (readOnly)
                Bpf.MapFreeze(map);
            return map;
        }
        catch (BpfException e)
        {
            map?.Dispose();
            throw new BpfLoadException(objectName, section.Name, null,
                $"creating the {section.Size}-byte global data map '{kernelName}' failed", e);
        }
    }
}
