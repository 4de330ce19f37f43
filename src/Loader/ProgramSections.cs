using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader;

/// <summary>
/// The section-name table (libbpf's section_defs, the entries a network and tracing loader
/// needs): reads a program's SEC() name as program type, expected attach type and flags.
/// </summary>
public static class ProgramSections
{
    // An entry matches its name exactly, or (when WithSuffix, libbpf's "name+") its name followed by
    // "/anything": "kprobe" matches "kprobe" and "kprobe/do_nanosleep". The networking sections are
    // exact, as in libbpf 1.x: "socket/foo" and "tc/foo" are refused, and "xdp" never matches
    // "xdp/cpumap" by prefix (that has its own entry).
    private readonly record struct Entry(ProgramSection Section, bool WithSuffix);

    private static readonly Entry[] Table =
    [
        Exact("xdp.frags/cpumap", BpfProgType.Xdp, BpfAttachType.XdpCpumap, BpfProgFlags.XdpHasFrags),
        Exact("xdp/cpumap", BpfProgType.Xdp, BpfAttachType.XdpCpumap),
        Exact("xdp.frags/devmap", BpfProgType.Xdp, BpfAttachType.XdpDevmap, BpfProgFlags.XdpHasFrags),
        Exact("xdp/devmap", BpfProgType.Xdp, BpfAttachType.XdpDevmap),
        Exact("xdp.frags", BpfProgType.Xdp, BpfAttachType.Xdp, BpfProgFlags.XdpHasFrags),
        Exact("xdp", BpfProgType.Xdp, BpfAttachType.Xdp),
        Exact("tc/ingress", BpfProgType.SchedCls, BpfAttachType.TcxIngress),
        Exact("tc/egress", BpfProgType.SchedCls, BpfAttachType.TcxEgress),
        Exact("tcx/ingress", BpfProgType.SchedCls, BpfAttachType.TcxIngress),
        Exact("tcx/egress", BpfProgType.SchedCls, BpfAttachType.TcxEgress),
        Exact("tc", BpfProgType.SchedCls, null),
        Exact("classifier", BpfProgType.SchedCls, null),
        Exact("action", BpfProgType.SchedAct, null),
        Exact("socket", BpfProgType.SocketFilter, null),
        Suffixed("kprobe", BpfProgType.Kprobe, null),
        Suffixed("kretprobe", BpfProgType.Kprobe, null),
        Suffixed("uprobe", BpfProgType.Kprobe, null),
        Suffixed("uretprobe", BpfProgType.Kprobe, null),
        Suffixed("tracepoint", BpfProgType.Tracepoint, null),
        Suffixed("tp", BpfProgType.Tracepoint, null),
        Suffixed("raw_tracepoint.w", BpfProgType.RawTracepointWritable, null),
        Suffixed("raw_tp.w", BpfProgType.RawTracepointWritable, null),
        Suffixed("raw_tracepoint", BpfProgType.RawTracepoint, null),
        Suffixed("raw_tp", BpfProgType.RawTracepoint, null),
        Suffixed("tp_btf", BpfProgType.Tracing, BpfAttachType.TraceRawTp, needsAttachBtfId: true),
        Suffixed("fentry", BpfProgType.Tracing, BpfAttachType.TraceFentry, needsAttachBtfId: true),
        Suffixed("fexit", BpfProgType.Tracing, BpfAttachType.TraceFexit, needsAttachBtfId: true),
        Suffixed("fmod_ret", BpfProgType.Tracing, BpfAttachType.ModifyReturn, needsAttachBtfId: true),
        Suffixed("iter", BpfProgType.Tracing, BpfAttachType.TraceIter, needsAttachBtfId: true),
        Suffixed("lsm", BpfProgType.Lsm, BpfAttachType.LsmMac, needsAttachBtfId: true),
        // libbpf's ".s" sections: the same, loaded sleepable (the verifier then allows only sleepable targets).
        Suffixed("fentry.s", BpfProgType.Tracing, BpfAttachType.TraceFentry, needsAttachBtfId: true, BpfProgFlags.Sleepable),
        Suffixed("fexit.s", BpfProgType.Tracing, BpfAttachType.TraceFexit, needsAttachBtfId: true, BpfProgFlags.Sleepable),
        Suffixed("fmod_ret.s", BpfProgType.Tracing, BpfAttachType.ModifyReturn, needsAttachBtfId: true, BpfProgFlags.Sleepable),
        Suffixed("iter.s", BpfProgType.Tracing, BpfAttachType.TraceIter, needsAttachBtfId: true, BpfProgFlags.Sleepable),
        Suffixed("lsm.s", BpfProgType.Lsm, BpfAttachType.LsmMac, needsAttachBtfId: true, BpfProgFlags.Sleepable),
        Exact("perf_event", BpfProgType.PerfEvent, null),
        Exact("cgroup_skb/ingress", BpfProgType.CgroupSkb, BpfAttachType.CgroupInetIngress),
        Exact("cgroup_skb/egress", BpfProgType.CgroupSkb, BpfAttachType.CgroupInetEgress),
        Exact("sk_skb/stream_parser", BpfProgType.SkSkb, BpfAttachType.SkSkbStreamParser),
        Exact("sk_skb/stream_verdict", BpfProgType.SkSkb, BpfAttachType.SkSkbStreamVerdict),
        Exact("sk_skb", BpfProgType.SkSkb, null),
        Exact("sk_msg", BpfProgType.SkMsg, BpfAttachType.SkMsgVerdict),
        Exact("sk_lookup", BpfProgType.SkLookup, BpfAttachType.SkLookup),
        Exact("flow_dissector", BpfProgType.FlowDissector, BpfAttachType.FlowDissector),
        Exact("sockops", BpfProgType.SockOps, BpfAttachType.CgroupSockOps),
        Exact("syscall", BpfProgType.Syscall, null),
    ];

    /// <summary>Every section name (or "name/…" prefix) the loader knows, for error messages and help.</summary>
    public static IEnumerable<string> Known => Table.Select(e => e.WithSuffix ? e.Section.Prefix + "[/…]" : e.Section.Prefix);

    /// <summary>The meaning of <paramref name="sectionName"/>, or null when the table has no entry for it.</summary>
    public static ProgramSection? Find(string sectionName)
    {
        ArgumentNullException.ThrowIfNull(sectionName);
        foreach (var entry in Table)
        {
            var prefix = entry.Section.Prefix;
            if (sectionName == prefix
                || (entry.WithSuffix && sectionName.Length > prefix.Length + 1 && sectionName.StartsWith(prefix, StringComparison.Ordinal) && sectionName[prefix.Length] == '/'))
                return entry.Section;
        }
        return null;
    }

    /// <summary>The meaning of <paramref name="sectionName"/>; an unknown name throws, naming it and the known ones.</summary>
    public static ProgramSection Get(string sectionName) =>
        Find(sectionName) ?? throw new BpfOperationException(BpfLoadException.LoadOperation,
            $"The program section '{sectionName}' is not one this loader knows, so it cannot tell the program type. " +
            $"Use a libbpf section name: {string.Join(", ", Known)}.");

    private static Entry Exact(string name, BpfProgType type, BpfAttachType? attach, BpfProgFlags flags = BpfProgFlags.None) =>
        new(new ProgramSection(name, type, attach, flags), WithSuffix: false);

    private static Entry Suffixed(string name, BpfProgType type, BpfAttachType? attach, bool needsAttachBtfId = false, BpfProgFlags flags = BpfProgFlags.None) =>
        new(new ProgramSection(name, type, attach, flags, needsAttachBtfId), WithSuffix: true);
}
