using CpuMap.Managed.Elf;
using CpuMap.Managed.Elf.Btf;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader;

/// <summary>
/// Creates the kernel maps for an object's definitions and global data, without BTF (key and
/// value types are known to the kernel by size only, as for maps made by hand), except a map whose
/// value holds what the kernel manages itself (bpf_spin_lock, bpf_timer, kptrs...), which it takes
/// only with BTF.
/// </summary>
internal static class MapCreator
{
    /// <summary>
    /// The max_entries the kernel gets: the spec's, except that a PERF_EVENT_ARRAY left at 0 gets one per possible CPU,
    /// as libbpf does. Nothing else is adjusted: a map left at 0 is refused with the way to size it.
    /// </summary>
    public static uint MaxEntries(BpfMapType type, uint configured)
        => type == BpfMapType.PerfEventArray && configured == 0 ? MapSpec.PossibleCpus : configured;

    /// <param name="objectName">The object, for messages.</param>
    /// <param name="spec">The map.</param>
    /// <param name="objectBtf">The object's BTF, where the map value's type is found; null to look at no value type.</param>
    /// <param name="btfFd">The object's BTF in the kernel, for a map whose value holds what the kernel accepts only with
    /// map BTF (bpf_spin_lock, bpf_timer, kptrs...: <see cref="BtfSpecialFields"/>); every other map is created without BTF.</param>
    public static MapFd Create(string objectName, MapSpec spec, BtfTypes? objectBtf = null, BtfFd? btfFd = null)
    {
        var definition = spec.Definition;
        var type = spec.Type;
        if (type == BpfMapType.Unspec || !Enum.IsDefined(type))
            throw new BpfLoadException(objectName, definition.Name, null,
                $"map type {KernelNames.Of(definition.Type)} is not one this loader knows (the highest is {KernelNames.Of(Enum.GetValues<BpfMapType>().Max())}); " +
                "check __uint(type, ...) in the map definition");
        if (type is BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps && spec.InnerMap is null)
            throw new BpfLoadException(objectName, definition.Name, null,
                "a map-in-map needs the shape of its inner maps: declare it with __array(values, struct { ... }) in the definition");

        MapFd? inner = null;
        try
        {
            if (spec.InnerMap is { } innerSpec)
                inner = Create(objectName, innerSpec, objectBtf, btfFd);
            var flags = spec.Flags;
            var numaNode = (flags & BpfMapFlags.NumaNode) != 0 ? (int?)definition.NumaNode : null;
            var maxEntries = MaxEntries(type, spec.MaxEntries);
            if (maxEntries == 0)
                throw new BpfLoadException(objectName, spec.Name, null,
                    $"max_entries is 0: the object leaves this map's size to user space (as xdp-bench's CPUMAP programs do), and " +
                    $"the kernel refuses a map of 0 entries. Set it before loading: {BpfObjectSpec.SizeHint(spec.Name)}");
            var special = objectBtf is not null && definition.ValueTypeId != 0 ? BtfSpecialFields.Of(objectBtf, definition.ValueTypeId) : [];
            if (special.Count > 0 && btfFd is null)
                throw new BpfLoadException(objectName, definition.Name, null,
                    $"its value holds {string.Join(", ", special)}, which the kernel accepts only in a map created with the object's BTF, " +
                    "and the object's BTF is not in the kernel (see the warning about it, or build the object with clang -g)");
            try
            {
                // Only the maps that need it get the object's BTF; every other map stays BTF-less, as the design says.
                var withBtf = special.Count > 0;
                return Bpf.MapCreate(type, definition.KeySize, definition.ValueSize, maxEntries, flags & ~BpfMapFlags.NumaNode,
                    KernelObjectNames.ForKernel(definition.Name), inner, numaNode, definition.MapExtra,
                    withBtf ? btfFd : null, withBtf ? definition.KeyTypeId : 0, withBtf ? definition.ValueTypeId : 0);
            }
            catch (BpfException e)
            {
                throw new BpfLoadException(objectName, definition.Name, null,
                    $"the kernel refused {KernelNames.Of(type)} with key_size {definition.KeySize}, " +
                    $"value_size {definition.ValueSize}, max_entries {maxEntries}, map_flags {KernelNames.Of(flags)}", e);
            }
        }
        finally
        {
            // The outer map keeps what it needs of the template; the template itself is not used again.
            inner?.Dispose();
        }
    }

    /// <summary>
    /// A one-element ARRAY of <paramref name="value"/> that programs can only read and user space cannot change (frozen),
    /// such as the .kconfig map libbpf makes for __kconfig externs. <paramref name="what"/> names it in errors.
    /// </summary>
    public static MapFd CreateReadOnly(string objectName, string kernelName, string what, ReadOnlySpan<byte> value)
    {
        MapFd? map = null;
        try
        {
            map = Bpf.MapCreate(BpfMapType.Array, sizeof(uint), (uint)value.Length, 1, BpfMapFlags.RdonlyProg, kernelName);
            Bpf.MapUpdateElem(map, [0, 0, 0, 0], value);
            Bpf.MapFreeze(map);
            return map;
        }
        catch (BpfException e)
        {
            map?.Dispose();
            throw new BpfLoadException(objectName, what, null, $"creating the {value.Length}-byte read-only map '{kernelName}' failed", e);
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
