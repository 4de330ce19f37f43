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

    /// <inheritdoc/>
    public override string ToString() => $"{Fd} from '{Name}'";
}
