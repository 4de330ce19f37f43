namespace CpuMap.Managed.Elf;

/// <summary>
/// A map as the object declares it, in the terms of the kernel's union bpf_attr for
/// BPF_MAP_CREATE. Nothing is adjusted for the running kernel (CPUMAP max_entries, unknown map
/// types): that is the loader's decision.
/// </summary>
public sealed class BpfMapDefinition
{
    internal BpfMapDefinition(string name, ElfSection section, ulong offset, ulong size, bool isLegacy)
    {
        Name = name;
        SectionName = section.Name;
        SectionIndex = section.Index;
        Offset = offset;
        Size = size;
        IsLegacy = isLegacy;
    }

    /// <summary>The map's symbol name (for an inner map: "outer.inner", as libbpf names it).</summary>
    public string Name { get; }

    /// <summary>".maps" for BTF-defined maps, "maps" for legacy struct bpf_map_def records.</summary>
    public string SectionName { get; }
    /// <summary>The ELF index of <see cref="SectionName"/>.</summary>
    public int SectionIndex { get; }

    /// <summary>The symbol's offset in its section: program relocations name a map by it.</summary>
    public ulong Offset { get; }

    /// <summary>The symbol's size in its section.</summary>
    public ulong Size { get; }

    /// <summary>True for a struct bpf_map_def record in the "maps" section.</summary>
    public bool IsLegacy { get; }

    /// <summary>map_type, as the object declares it: a type this library does not name (a newer kernel's) keeps its number.</summary>
    public BpfMapType Type { get; internal set; }
    /// <summary>key_size in bytes.</summary>
    public uint KeySize { get; internal set; }
    /// <summary>value_size in bytes.</summary>
    public uint ValueSize { get; internal set; }
    /// <summary>max_entries: the capacity (for CPUMAP, the number of CPU slots).</summary>
    public uint MaxEntries { get; internal set; }
    /// <summary>map_flags: BPF_F_NO_PREALLOC, BPF_F_RDONLY_PROG, BPF_F_MMAPABLE...</summary>
    public BpfMapFlags MapFlags { get; internal set; }
    /// <summary>numa_node, used by the kernel only with BPF_F_NUMA_NODE.</summary>
    public uint NumaNode { get; internal set; }

    /// <summary>libbpf's pinning: LIBBPF_PIN_NONE (0) or LIBBPF_PIN_BY_NAME (1).</summary>
    public uint Pinning { get; internal set; }
    /// <summary>map_extra: the bloom filter's hash count, the arena's address...</summary>
    public ulong MapExtra { get; internal set; }

    /// <summary>BTF id of the key type from __type(key, T), 0 if only key_size was given.</summary>
    public uint KeyTypeId { get; internal set; }

    /// <summary>BTF id of the value type from __type(value, T), 0 if only value_size was given.</summary>
    public uint ValueTypeId { get; internal set; }

    /// <summary>For ARRAY_OF_MAPS / HASH_OF_MAPS declared with __array(values, ...): the inner map's template.</summary>
    public BpfMapDefinition? InnerMap { get; internal set; }

    /// <summary>Initial slots from `.values = { [i] = &amp;x }`: map names for a map-in-map, program
    /// names for a PROG_ARRAY.</summary>
    public IReadOnlyList<BpfMapInitialValue> InitialValues => _initialValues;

    /// <summary>Byte offset of the `values` member inside the definition, or -1 without one.</summary>
    internal int ValuesOffset { get; set; } = -1;

    private readonly List<BpfMapInitialValue> _initialValues = [];

    internal void AddInitialValue(BpfMapInitialValue value) => _initialValues.Add(value);

    /// <summary>The name, type and sizes, for messages.</summary>
    public override string ToString() => $"map '{Name}' type {Type} key {KeySize} value {ValueSize} max_entries {MaxEntries}";
}
