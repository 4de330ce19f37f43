namespace CpuMap.Managed;

/// <summary>map_flags of BPF_MAP_CREATE (kernel: BPF_F_*; kernel spelling kept).</summary>
[Flags]
public enum BpfMapFlags : uint
{
    None = 0,
    NoPrealloc = 1u << 0,
    NoCommonLru = 1u << 1,
    /// <summary>Set for you when a NUMA node is given to <c>Bpf.MapCreate</c>.</summary>
    NumaNode = 1u << 2,
    Rdonly = 1u << 3,
    Wronly = 1u << 4,
    StackBuildId = 1u << 5,
    ZeroSeed = 1u << 6,
    RdonlyProg = 1u << 7,
    WronlyProg = 1u << 8,
    Clone = 1u << 9,
    Mmapable = 1u << 10,
    PreserveElems = 1u << 11,
    InnerMap = 1u << 12,
}
