using CpuMap.Managed.Elf;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader;

/// <summary>
/// Creates the kernel maps for an object's definitions and global data, without BTF (key and
/// value types are known to the kernel by size only, as for maps made by hand).
/// </summary>
internal static class MapCreator
{
    /// <summary>
    /// The max_entries the kernel gets: the spec's, except that a PERF_EVENT_ARRAY left at 0 gets one per possible CPU,
    /// as libbpf does. Nothing else is adjusted: a map left at 0 is refused with the way to size it.
    /// </summary>
    public static uint MaxEntries(BpfMapType type, uint configured)
        => type == BpfMapType.PerfEventArray && configured == 0 ? MapSpec.PossibleCpus : configured;

    public static MapFd Create(string objectName, MapSpec spec)
    {
        var definition = spec.Definition;
        var type = spec.Type;
        if (type == BpfMapType.Unspec || !Enum.IsDefined(type))
            throw new BpfLoadException(objectName, definition.Name, null,
                $"map type {definition.Type} is not one this loader knows (the highest is {(uint)Enum.GetValues<BpfMapType>().Max()}, " +
                "BPF_MAP_TYPE_ARENA); check __uint(type, ...) in the map definition");
        if (type is BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps && spec.InnerMap is null)
            throw new BpfLoadException(objectName, definition.Name, null,
                "a map-in-map needs the shape of its inner maps: declare it with __array(values, struct { ... }) in the definition");

        MapFd? inner = null;
        try
        {
            if (spec.InnerMap is { } innerSpec)
                inner = Create(objectName, innerSpec);
            var flags = spec.Flags;
            var numaNode = (flags & BpfMapFlags.NumaNode) != 0 ? (int?)definition.NumaNode : null;
            var maxEntries = MaxEntries(type, spec.MaxEntries);
            if (maxEntries == 0)
                throw new BpfLoadException(objectName, spec.Name, null,
                    $"max_entries is 0: the object leaves this map's size to user space (as xdp-bench's CPUMAP programs do), and " +
                    $"the kernel refuses a map of 0 entries. Set it before loading: {BpfObjectSpec.SizeHint(spec.Name)}");
            try
            {
                return Bpf.MapCreate(type, definition.KeySize, definition.ValueSize, maxEntries, flags & ~BpfMapFlags.NumaNode,
                    KernelObjectNames.ForKernel(definition.Name), inner, numaNode, definition.MapExtra);
            }
            catch (BpfException e)
            {
                throw new BpfLoadException(objectName, definition.Name, null,
                    $"the kernel refused BPF_MAP_TYPE_{KernelNames.ToUpperSnake(type.ToString())} with key_size {definition.KeySize}, " +
                    $"value_size {definition.ValueSize}, max_entries {maxEntries}, map_flags 0x{(uint)flags:x}", e);
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
