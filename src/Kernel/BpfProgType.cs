namespace CpuMap.Managed;

/// <summary>Program types (kernel: <c>enum bpf_prog_type</c>, BPF_PROG_TYPE_ prefix dropped).</summary>
public enum BpfProgType : uint
{
    /// <summary>BPF_PROG_TYPE_UNSPEC: no program type (refused).</summary>
    Unspec = 0,
    /// <summary>BPF_PROG_TYPE_SOCKET_FILTER: a socket filter (SO_ATTACH_BPF).</summary>
    SocketFilter = 1,
    /// <summary>BPF_PROG_TYPE_KPROBE: a kprobe or uprobe.</summary>
    Kprobe = 2,
    /// <summary>BPF_PROG_TYPE_SCHED_CLS: a tc classifier.</summary>
    SchedCls = 3,
    /// <summary>BPF_PROG_TYPE_SCHED_ACT: a tc action.</summary>
    SchedAct = 4,
    /// <summary>BPF_PROG_TYPE_TRACEPOINT: a tracepoint.</summary>
    Tracepoint = 5,
    /// <summary>BPF_PROG_TYPE_XDP: an XDP program, run on each frame at the driver or in a CPUMAP or DEVMAP.</summary>
    Xdp = 6,
    /// <summary>BPF_PROG_TYPE_PERF_EVENT: a perf event.</summary>
    PerfEvent = 7,
    /// <summary>BPF_PROG_TYPE_CGROUP_SKB: packet filter on a cgroup's ingress or egress.</summary>
    CgroupSkb = 8,
    /// <summary>BPF_PROG_TYPE_CGROUP_SOCK: socket creation, release or bind on a cgroup.</summary>
    CgroupSock = 9,
    /// <summary>BPF_PROG_TYPE_LWT_IN: lightweight tunnel input.</summary>
    LwtIn = 10,
    /// <summary>BPF_PROG_TYPE_LWT_OUT: lightweight tunnel output.</summary>
    LwtOut = 11,
    /// <summary>BPF_PROG_TYPE_LWT_XMIT: lightweight tunnel transmit.</summary>
    LwtXmit = 12,
    /// <summary>BPF_PROG_TYPE_SOCK_OPS: TCP socket events on a cgroup.</summary>
    SockOps = 13,
    /// <summary>BPF_PROG_TYPE_SK_SKB: stream parser or verdict on a socket map.</summary>
    SkSkb = 14,
    /// <summary>BPF_PROG_TYPE_CGROUP_DEVICE: device access control on a cgroup.</summary>
    CgroupDevice = 15,
    /// <summary>BPF_PROG_TYPE_SK_MSG: sendmsg verdict on a socket map.</summary>
    SkMsg = 16,
    /// <summary>BPF_PROG_TYPE_RAW_TRACEPOINT: a raw tracepoint.</summary>
    RawTracepoint = 17,
    /// <summary>BPF_PROG_TYPE_CGROUP_SOCK_ADDR: connect, bind, sendmsg and similar address hooks on a cgroup.</summary>
    CgroupSockAddr = 18,
    /// <summary>BPF_PROG_TYPE_LWT_SEG6LOCAL: an SRv6 seg6local action.</summary>
    LwtSeg6local = 19,
    /// <summary>BPF_PROG_TYPE_LIRC_MODE2: an IR decoder on a lirc device.</summary>
    LircMode2 = 20,
    /// <summary>BPF_PROG_TYPE_SK_REUSEPORT: socket selection within a SO_REUSEPORT group.</summary>
    SkReuseport = 21,
    /// <summary>BPF_PROG_TYPE_FLOW_DISSECTOR: a flow dissector.</summary>
    FlowDissector = 22,
    /// <summary>BPF_PROG_TYPE_CGROUP_SYSCTL: sysctl access control on a cgroup.</summary>
    CgroupSysctl = 23,
    /// <summary>BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE: a raw tracepoint that may write its buffer.</summary>
    RawTracepointWritable = 24,
    /// <summary>BPF_PROG_TYPE_CGROUP_SOCKOPT: getsockopt and setsockopt on a cgroup.</summary>
    CgroupSockopt = 25,
    /// <summary>BPF_PROG_TYPE_TRACING: fentry, fexit, fmod_ret, iterators and BTF raw tracepoints.</summary>
    Tracing = 26,
    /// <summary>BPF_PROG_TYPE_STRUCT_OPS: a function of a STRUCT_OPS map.</summary>
    StructOps = 27,
    /// <summary>BPF_PROG_TYPE_EXT: a replacement (freplace) for a function of another program.</summary>
    Ext = 28,
    /// <summary>BPF_PROG_TYPE_LSM: an LSM hook.</summary>
    Lsm = 29,
    /// <summary>BPF_PROG_TYPE_SK_LOOKUP: socket lookup for incoming connections in a network namespace.</summary>
    SkLookup = 30,
    /// <summary>BPF_PROG_TYPE_SYSCALL: a program that issues bpf(2) and other calls, run by BPF_PROG_TEST_RUN.</summary>
    Syscall = 31,
    /// <summary>BPF_PROG_TYPE_NETFILTER: a netfilter hook.</summary>
    Netfilter = 32,
}
