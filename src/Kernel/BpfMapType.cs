namespace CpuMap.Managed;

/// <summary>Map types (kernel: <c>enum bpf_map_type</c>, BPF_MAP_TYPE_ prefix dropped, kernel spelling kept).</summary>
public enum BpfMapType : uint
{
    /// <summary>BPF_MAP_TYPE_UNSPEC: no map type (refused).</summary>
    Unspec = 0,
    /// <summary>BPF_MAP_TYPE_HASH: a hash table.</summary>
    Hash = 1,
    /// <summary>BPF_MAP_TYPE_ARRAY: an array indexed by a u32, preallocated and zeroed.</summary>
    Array = 2,
    /// <summary>BPF_MAP_TYPE_PROG_ARRAY: program fds for tail calls.</summary>
    ProgArray = 3,
    /// <summary>BPF_MAP_TYPE_PERF_EVENT_ARRAY: perf event fds for bpf_perf_event_output.</summary>
    PerfEventArray = 4,
    /// <summary>BPF_MAP_TYPE_PERCPU_HASH: a hash table with one value per CPU.</summary>
    PercpuHash = 5,
    /// <summary>BPF_MAP_TYPE_PERCPU_ARRAY: an array with one value per CPU.</summary>
    PercpuArray = 6,
    /// <summary>BPF_MAP_TYPE_STACK_TRACE: stack traces recorded by bpf_get_stackid.</summary>
    StackTrace = 7,
    /// <summary>BPF_MAP_TYPE_CGROUP_ARRAY: cgroup fds for bpf_current_task_under_cgroup and bpf_skb_under_cgroup.</summary>
    CgroupArray = 8,
    /// <summary>BPF_MAP_TYPE_LRU_HASH: a hash table that evicts the least recently used element when full.</summary>
    LruHash = 9,
    /// <summary>BPF_MAP_TYPE_LRU_PERCPU_HASH: an LRU hash table with one value per CPU.</summary>
    LruPercpuHash = 10,
    /// <summary>BPF_MAP_TYPE_LPM_TRIE: a longest-prefix-match trie (IP routing lookups).</summary>
    LpmTrie = 11,
    /// <summary>BPF_MAP_TYPE_ARRAY_OF_MAPS: an array whose values are maps.</summary>
    ArrayOfMaps = 12,
    /// <summary>BPF_MAP_TYPE_HASH_OF_MAPS: a hash table whose values are maps.</summary>
    HashOfMaps = 13,
    /// <summary>BPF_MAP_TYPE_DEVMAP: network devices by index, the targets of XDP_REDIRECT.</summary>
    Devmap = 14,
    /// <summary>BPF_MAP_TYPE_SOCKMAP: sockets by index, for sk_msg and sk_skb redirects.</summary>
    Sockmap = 15,
    /// <summary>BPF_MAP_TYPE_CPUMAP: CPUs by index, to which XDP_REDIRECT moves frames for the network stack or a second program on that CPU.</summary>
    Cpumap = 16,
    /// <summary>BPF_MAP_TYPE_XSKMAP: AF_XDP sockets by queue, the targets of XDP_REDIRECT.</summary>
    Xskmap = 17,
    /// <summary>BPF_MAP_TYPE_SOCKHASH: sockets by key, for sk_msg and sk_skb redirects.</summary>
    Sockhash = 18,
    /// <summary>BPF_MAP_TYPE_CGROUP_STORAGE: storage per cgroup and attach type (deprecated for CgrpStorage).</summary>
    CgroupStorage = 19,
    /// <summary>BPF_MAP_TYPE_REUSEPORT_SOCKARRAY: sockets of a SO_REUSEPORT group, for SK_REUSEPORT programs.</summary>
    ReuseportSockarray = 20,
    /// <summary>BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE: per-CPU storage per cgroup and attach type.</summary>
    PercpuCgroupStorage = 21,
    /// <summary>BPF_MAP_TYPE_QUEUE: a FIFO queue of values without keys.</summary>
    Queue = 22,
    /// <summary>BPF_MAP_TYPE_STACK: a LIFO stack of values without keys.</summary>
    Stack = 23,
    /// <summary>BPF_MAP_TYPE_SK_STORAGE: storage local to each socket.</summary>
    SkStorage = 24,
    /// <summary>BPF_MAP_TYPE_DEVMAP_HASH: network devices by any key, the targets of XDP_REDIRECT.</summary>
    DevmapHash = 25,
    /// <summary>BPF_MAP_TYPE_STRUCT_OPS: an implementation of a kernel struct of function pointers in BPF programs.</summary>
    StructOps = 26,
    /// <summary>BPF_MAP_TYPE_RINGBUF: a ring buffer shared by all CPUs, read by user space.</summary>
    Ringbuf = 27,
    /// <summary>BPF_MAP_TYPE_INODE_STORAGE: storage local to each inode (LSM).</summary>
    InodeStorage = 28,
    /// <summary>BPF_MAP_TYPE_TASK_STORAGE: storage local to each task.</summary>
    TaskStorage = 29,
    /// <summary>BPF_MAP_TYPE_BLOOM_FILTER: a Bloom filter of values.</summary>
    BloomFilter = 30,
    /// <summary>BPF_MAP_TYPE_USER_RINGBUF: a ring buffer written by user space and drained by programs.</summary>
    UserRingbuf = 31,
    /// <summary>BPF_MAP_TYPE_CGRP_STORAGE: storage local to each cgroup.</summary>
    CgrpStorage = 32,
    /// <summary>BPF_MAP_TYPE_ARENA: memory shared by programs and user space through mmap.</summary>
    Arena = 33,
}
