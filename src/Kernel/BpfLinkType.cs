namespace CpuMap.Managed;

/// <summary>Link types reported by BPF_OBJ_GET_INFO_BY_FD (kernel: <c>enum bpf_link_type</c>).</summary>
public enum BpfLinkType : uint
{
    /// <summary>BPF_LINK_TYPE_UNSPEC: no link type (never a real link).</summary>
    Unspec = 0,
    /// <summary>BPF_LINK_TYPE_RAW_TRACEPOINT: a program on a raw tracepoint.</summary>
    RawTracepoint = 1,
    /// <summary>BPF_LINK_TYPE_TRACING: an fentry, fexit, fmod_ret or LSM program on its kernel function.</summary>
    Tracing = 2,
    /// <summary>BPF_LINK_TYPE_CGROUP: a program on a cgroup hook.</summary>
    Cgroup = 3,
    /// <summary>BPF_LINK_TYPE_ITER: a BPF iterator.</summary>
    Iter = 4,
    /// <summary>BPF_LINK_TYPE_NETNS: a program on a network namespace (flow dissector, sk_lookup).</summary>
    Netns = 5,
    /// <summary>BPF_LINK_TYPE_XDP: an XDP program on a network device.</summary>
    Xdp = 6,
    /// <summary>BPF_LINK_TYPE_PERF_EVENT: a program on a perf event (kprobe, uprobe, tracepoint).</summary>
    PerfEvent = 7,
    /// <summary>BPF_LINK_TYPE_KPROBE_MULTI: a program on many kprobes at once.</summary>
    KprobeMulti = 8,
    /// <summary>BPF_LINK_TYPE_STRUCT_OPS: a STRUCT_OPS map registered with its kernel subsystem.</summary>
    StructOps = 9,
    /// <summary>BPF_LINK_TYPE_NETFILTER: a program on a netfilter hook.</summary>
    Netfilter = 10,
    /// <summary>BPF_LINK_TYPE_TCX: a tc program on a device's tcx ingress or egress.</summary>
    Tcx = 11,
    /// <summary>BPF_LINK_TYPE_UPROBE_MULTI: a program on many uprobes at once.</summary>
    UprobeMulti = 12,
    /// <summary>BPF_LINK_TYPE_NETKIT: a program on a netkit device.</summary>
    Netkit = 13,
}
