namespace CpuMap.Managed;

/// <summary>map_flags of BPF_MAP_CREATE (kernel: BPF_F_*; kernel spelling kept).</summary>
[Flags]
public enum BpfMapFlags : uint
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>BPF_F_NO_PREALLOC: hash maps allocate elements on update instead of at creation.</summary>
    NoPrealloc = 1u << 0,
    /// <summary>BPF_F_NO_COMMON_LRU: LRU hash maps keep one LRU list per CPU instead of one shared.</summary>
    NoCommonLru = 1u << 1,
    /// <summary>Set for you when a NUMA node is given to <c>Bpf.MapCreate</c>.</summary>
    NumaNode = 1u << 2,
    /// <summary>BPF_F_RDONLY: user space may only read the map.</summary>
    Rdonly = 1u << 3,
    /// <summary>BPF_F_WRONLY: user space may only write the map.</summary>
    Wronly = 1u << 4,
    /// <summary>BPF_F_STACK_BUILD_ID: a STACK_TRACE map stores build ID and offset instead of addresses.</summary>
    StackBuildId = 1u << 5,
    /// <summary>BPF_F_ZERO_SEED: hash maps use a zero hash seed (testing only).</summary>
    ZeroSeed = 1u << 6,
    /// <summary>BPF_F_RDONLY_PROG: programs may only read the map.</summary>
    RdonlyProg = 1u << 7,
    /// <summary>BPF_F_WRONLY_PROG: programs may only write the map.</summary>
    WronlyProg = 1u << 8,
    /// <summary>BPF_F_CLONE: a socket local storage map is cloned into sockets created by accept.</summary>
    Clone = 1u << 9,
    /// <summary>BPF_F_MMAPABLE: an ARRAY map may be mmap(2)ed by user space.</summary>
    Mmapable = 1u << 10,
    /// <summary>BPF_F_PRESERVE_ELEMS: a PERF_EVENT_ARRAY keeps its entries when the fd that made them is closed.</summary>
    PreserveElems = 1u << 11,
    /// <summary>BPF_F_INNER_MAP: the map may be the inner map of a map-in-map whose inner maps differ in max_entries.</summary>
    InnerMap = 1u << 12,
}
