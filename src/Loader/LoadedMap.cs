using CpuMap.Managed.Elf;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader;

/// <summary>A map the loader created: the object's map definition or global data section, and its fd.</summary>
public sealed class LoadedMap
{
    internal LoadedMap(string name, string kernelName, MapFd fd, BpfMapDefinition? definition, GlobalDataSection? globalData)
    {
        Name = name;
        KernelName = kernelName;
        Fd = fd;
        Definition = definition;
        GlobalData = globalData;
    }

    /// <summary>The object's name for it: the map's symbol, or the section name (".rodata") for global data.</summary>
    public string Name { get; }

    /// <summary>The name the kernel (and bpftool) knows it by, e.g. "round_ro.rodata".</summary>
    public string KernelName { get; }

    /// <summary>The map fd, owned by the collection.</summary>
    public MapFd Fd { get; }

    /// <summary>The map's kernel id.</summary>
    public uint Id => Fd.Id;

    /// <summary>The definition from .maps or maps, or null for a global data map.</summary>
    public BpfMapDefinition? Definition { get; }

    /// <summary>The .rodata*, .data* or .bss* section the map holds, or null for a declared map.</summary>
    public GlobalDataSection? GlobalData { get; }

    /// <summary>Where the map is pinned, or null.</summary>
    public string? PinPath { get; internal set; }

    /// <summary>
    /// Where the map lives pinned under its name (LIBBPF_PIN_BY_NAME), or null. Such a pin is shared with other objects
    /// and outlives the collection: <see cref="BpfCollection.Unpin"/> leaves it.
    /// </summary>
    public string? PinnedByName { get; internal set; }

    /// <summary>True when the map existed before the load (given to reuse, or found pinned under its name) and was not created.</summary>
    public bool Reused { get; internal init; }

    /// <summary>This load made the by-name pin, so a failed load removes it again.</summary>
    internal bool CreatedPinByName { get; set; }

    /// <inheritdoc/>
    public override string ToString() => $"{Fd} from '{Name}'";
}
