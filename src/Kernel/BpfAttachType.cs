namespace CpuMap.Managed;

/// <summary>Attach types (kernel: <c>enum bpf_attach_type</c>, BPF_ prefix dropped).</summary>
public enum BpfAttachType : uint
{
    /// <summary>BPF_CGROUP_INET_INGRESS: packets a cgroup receives.</summary>
    CgroupInetIngress = 0,
    /// <summary>BPF_CGROUP_INET_EGRESS: packets a cgroup sends.</summary>
    CgroupInetEgress = 1,
    /// <summary>BPF_CGROUP_INET_SOCK_CREATE: socket creation in a cgroup.</summary>
    CgroupInetSockCreate = 2,
    /// <summary>BPF_CGROUP_SOCK_OPS: TCP socket events in a cgroup.</summary>
    CgroupSockOps = 3,
    /// <summary>BPF_SK_SKB_STREAM_PARSER: the stream parser of a socket map.</summary>
    SkSkbStreamParser = 4,
    /// <summary>BPF_SK_SKB_STREAM_VERDICT: the stream verdict of a socket map.</summary>
    SkSkbStreamVerdict = 5,
    /// <summary>BPF_CGROUP_DEVICE: device access in a cgroup.</summary>
    CgroupDevice = 6,
    /// <summary>BPF_SK_MSG_VERDICT: the sendmsg verdict of a socket map.</summary>
    SkMsgVerdict = 7,
    /// <summary>BPF_CGROUP_INET4_BIND: IPv4 bind in a cgroup.</summary>
    CgroupInet4Bind = 8,
    /// <summary>BPF_CGROUP_INET6_BIND: IPv6 bind in a cgroup.</summary>
    CgroupInet6Bind = 9,
    /// <summary>BPF_CGROUP_INET4_CONNECT: IPv4 connect in a cgroup.</summary>
    CgroupInet4Connect = 10,
    /// <summary>BPF_CGROUP_INET6_CONNECT: IPv6 connect in a cgroup.</summary>
    CgroupInet6Connect = 11,
    /// <summary>BPF_CGROUP_INET4_POST_BIND: after an IPv4 bind in a cgroup.</summary>
    CgroupInet4PostBind = 12,
    /// <summary>BPF_CGROUP_INET6_POST_BIND: after an IPv6 bind in a cgroup.</summary>
    CgroupInet6PostBind = 13,
    /// <summary>BPF_CGROUP_UDP4_SENDMSG: UDPv4 sendmsg in a cgroup.</summary>
    CgroupUdp4Sendmsg = 14,
    /// <summary>BPF_CGROUP_UDP6_SENDMSG: UDPv6 sendmsg in a cgroup.</summary>
    CgroupUdp6Sendmsg = 15,
    /// <summary>BPF_LIRC_MODE2: IR samples of a lirc device.</summary>
    LircMode2 = 16,
    /// <summary>BPF_FLOW_DISSECTOR: the flow dissector of a network namespace.</summary>
    FlowDissector = 17,
    /// <summary>BPF_CGROUP_SYSCTL: sysctl access in a cgroup.</summary>
    CgroupSysctl = 18,
    /// <summary>BPF_CGROUP_UDP4_RECVMSG: UDPv4 recvmsg in a cgroup.</summary>
    CgroupUdp4Recvmsg = 19,
    /// <summary>BPF_CGROUP_UDP6_RECVMSG: UDPv6 recvmsg in a cgroup.</summary>
    CgroupUdp6Recvmsg = 20,
    /// <summary>BPF_CGROUP_GETSOCKOPT: getsockopt in a cgroup.</summary>
    CgroupGetsockopt = 21,
    /// <summary>BPF_CGROUP_SETSOCKOPT: setsockopt in a cgroup.</summary>
    CgroupSetsockopt = 22,
    /// <summary>BPF_TRACE_RAW_TP: a BTF-enabled raw tracepoint.</summary>
    TraceRawTp = 23,
    /// <summary>BPF_TRACE_FENTRY: entry of a kernel function (fentry).</summary>
    TraceFentry = 24,
    /// <summary>BPF_TRACE_FEXIT: exit of a kernel function (fexit).</summary>
    TraceFexit = 25,
    /// <summary>BPF_MODIFY_RETURN: the return value of a kernel function (fmod_ret).</summary>
    ModifyReturn = 26,
    /// <summary>BPF_LSM_MAC: an LSM hook.</summary>
    LsmMac = 27,
    /// <summary>BPF_TRACE_ITER: a BPF iterator.</summary>
    TraceIter = 28,
    /// <summary>BPF_CGROUP_INET4_GETPEERNAME: IPv4 getpeername in a cgroup.</summary>
    CgroupInet4Getpeername = 29,
    /// <summary>BPF_CGROUP_INET6_GETPEERNAME: IPv6 getpeername in a cgroup.</summary>
    CgroupInet6Getpeername = 30,
    /// <summary>BPF_CGROUP_INET4_GETSOCKNAME: IPv4 getsockname in a cgroup.</summary>
    CgroupInet4Getsockname = 31,
    /// <summary>BPF_CGROUP_INET6_GETSOCKNAME: IPv6 getsockname in a cgroup.</summary>
    CgroupInet6Getsockname = 32,
    /// <summary>A program run by a DEVMAP entry on the target device.</summary>
    XdpDevmap = 33,
    /// <summary>BPF_CGROUP_INET_SOCK_RELEASE: socket release in a cgroup.</summary>
    CgroupInetSockRelease = 34,
    /// <summary>A program run by a CPUMAP entry on the remote CPU; CPUMAP refuses any other.</summary>
    XdpCpumap = 35,
    /// <summary>BPF_SK_LOOKUP: socket lookup in a network namespace.</summary>
    SkLookup = 36,
    /// <summary>The attach type of an XDP link on a network device.</summary>
    Xdp = 37,
    /// <summary>BPF_SK_SKB_VERDICT: the verdict of a socket map, without a stream parser.</summary>
    SkSkbVerdict = 38,
    /// <summary>BPF_SK_REUSEPORT_SELECT: socket selection in a SO_REUSEPORT group.</summary>
    SkReuseportSelect = 39,
    /// <summary>BPF_SK_REUSEPORT_SELECT_OR_MIGRATE: socket selection or migration in a SO_REUSEPORT group.</summary>
    SkReuseportSelectOrMigrate = 40,
    /// <summary>BPF_PERF_EVENT: a perf event.</summary>
    PerfEvent = 41,
    /// <summary>BPF_TRACE_KPROBE_MULTI: many kprobes at once.</summary>
    TraceKprobeMulti = 42,
    /// <summary>BPF_LSM_CGROUP: an LSM hook, per cgroup.</summary>
    LsmCgroup = 43,
    /// <summary>BPF_STRUCT_OPS: a STRUCT_OPS map.</summary>
    StructOps = 44,
    /// <summary>BPF_NETFILTER: a netfilter hook.</summary>
    Netfilter = 45,
    /// <summary>BPF_TCX_INGRESS: tcx ingress of a network device.</summary>
    TcxIngress = 46,
    /// <summary>BPF_TCX_EGRESS: tcx egress of a network device.</summary>
    TcxEgress = 47,
    /// <summary>BPF_TRACE_UPROBE_MULTI: many uprobes at once.</summary>
    TraceUprobeMulti = 48,
    /// <summary>BPF_CGROUP_UNIX_CONNECT: AF_UNIX connect in a cgroup.</summary>
    CgroupUnixConnect = 49,
    /// <summary>BPF_CGROUP_UNIX_SENDMSG: AF_UNIX sendmsg in a cgroup.</summary>
    CgroupUnixSendmsg = 50,
    /// <summary>BPF_CGROUP_UNIX_RECVMSG: AF_UNIX recvmsg in a cgroup.</summary>
    CgroupUnixRecvmsg = 51,
    /// <summary>BPF_CGROUP_UNIX_GETPEERNAME: AF_UNIX getpeername in a cgroup.</summary>
    CgroupUnixGetpeername = 52,
    /// <summary>BPF_CGROUP_UNIX_GETSOCKNAME: AF_UNIX getsockname in a cgroup.</summary>
    CgroupUnixGetsockname = 53,
    /// <summary>BPF_NETKIT_PRIMARY: the primary device of a netkit pair.</summary>
    NetkitPrimary = 54,
    /// <summary>BPF_NETKIT_PEER: the peer device of a netkit pair.</summary>
    NetkitPeer = 55,
}
