using BpfAsm;
using static BpfAsm.Register;

namespace CpuMap.Managed.Programs.Bytecode;

/// <summary>
/// Counts what the kernel reports at each CPUMAP enqueue: a BPF_PROG_TYPE_RAW_TRACEPOINT program for
/// the <c>xdp:xdp_cpumap_enqueue</c> tracepoint, the only place the frames dropped at a full remote
/// queue are visible (xdp-bench counts them the same way). The tracepoint fires once per bulk flush on
/// the redirecting CPU with <c>(int map_id, unsigned int processed, unsigned int drops, int to_cpu)</c>
/// (a raw tracepoint's context is these C arguments, TP_PROTO, as the kernel's <c>btf_trace_xdp_cpumap_enqueue</c>
/// BTF type lists them, not the fields of the tracefs <c>format</c> file); the program adds processed and drops,
/// and 1 to the bulk count, to <c>enqueue_stats[to_cpu]</c>, per redirecting CPU (so each value slot is one
/// <c>from→to</c> pair and processed ÷ bulks is the average bulk), for the CPUMAP whose id is in
/// <see cref="MapIdMap"/> (0: every CPUMAP). In C:
/// <code>
/// SEC("raw_tracepoint/xdp_cpumap_enqueue") int xdp_cpumap_enqueue(__u64 *args)
/// {
///     __u32 to_cpu = args[3];
///     if (map_id &amp;&amp; (int)args[0] != map_id)
///         return 0;
///     struct { __u64 processed, drops, bulks; } *v = bpf_map_lookup_elem(&amp;enqueue_stats, &amp;to_cpu);
///     if (v) { v->processed += (__u32)args[1]; v->drops += (__u32)args[2]; v->bulks += 1; }
///     return 0;
/// }
/// </code>
/// </summary>
public static class CpuMapEnqueueProgram
{
    /// <summary>The program's name, the tracepoint's (the kernel keeps the first 15 characters).</summary>
    public const string Name = "xdp_cpumap_enqueue";

    /// <summary>The raw tracepoint to attach it to (BPF_RAW_TRACEPOINT_OPEN's name).</summary>
    public const string Tracepoint = "xdp_cpumap_enqueue";

    /// <summary>BPF_MAP_TYPE_PERCPU_ARRAY, key the destination CPU, value <c>struct { __u64 processed, drops, bulks; }</c>.</summary>
    public const string EnqueueStatsMap = "enqueue_stats";

    /// <summary>The size of <see cref="EnqueueStatsMap"/>'s value: three __u64.</summary>
    public const uint ValueSize = 24;

    /// <summary>BPF_MAP_TYPE_ARRAY, one entry (global data): the id of the CPUMAP to count, 0 for all.</summary>
    public const string MapIdMap = "cpumap_id";

    /// <summary>Builds the program; map references are by the names above.</summary>
    public static BpfProgram Build()
    {
        var p = new ProgramBuilder(Name);
        p.Mov(R6, R1);                                  // args
        p.LoadMapValue(R2, MapIdMap);                   // if (map_id && (int)args[0] != map_id) return 0;
        p.Load(R2, Mem.U32(R2));
        p.JumpIf(W2 == 0, "count");
        p.Load(R3, Mem.U64(R6, 0));
        p.JumpIf(W3 != W2, "out");
        p.Label("count");
        p.Load(R1, Mem.U64(R6, 24));                    // __u32 to_cpu = args[3];
        p.Store(Mem.U32(R10, -4), R1);
        p.Mov(R2, R10).Add(R2, -4);
        p.LoadMapFd(R1, EnqueueStatsMap);
        p.Call(BpfHelper.MapLookupElem);
        p.JumpIf(R0 == 0, "out");
        p.Load(R1, Mem.U64(R6, 8));                     // v->processed += (__u32)args[1];
        p.Mov(W1, W1);
        p.Load(R2, Mem.U64(R0, 0));
        p.Add(R2, R1).Store(Mem.U64(R0, 0), R2);
        p.Load(R1, Mem.U64(R6, 16));                    // v->drops += (__u32)args[2];
        p.Mov(W1, W1);
        p.Load(R2, Mem.U64(R0, 8));
        p.Add(R2, R1).Store(Mem.U64(R0, 8), R2);
        p.Load(R2, Mem.U64(R0, 16));                    // v->bulks += 1;
        p.Add(R2, 1).Store(Mem.U64(R0, 16), R2);
        p.Label("out");
        p.Return(0);
        return p.Build();
    }
}
