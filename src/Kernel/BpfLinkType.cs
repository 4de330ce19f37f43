namespace CpuMap.Managed;

/// <summary>Link types reported by BPF_OBJ_GET_INFO_BY_FD (kernel: <c>enum bpf_link_type</c>).</summary>
public enum BpfLinkType : uint
{
    Unspec = 0,
    RawTracepoint = 1,
    Tracing = 2,
    Cgroup = 3,
    Iter = 4,
    Netns = 5,
    Xdp = 6,
    PerfEvent = 7,
    KprobeMulti = 8,
    StructOps = 9,
    Netfilter = 10,
    Tcx = 11,
    UprobeMulti = 12,
    Netkit = 13,
}
