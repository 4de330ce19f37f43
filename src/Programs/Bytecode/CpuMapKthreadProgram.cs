using BpfAsm;
using static BpfAsm.Register;

namespace CpuMap.Managed.Programs.Bytecode;

/// <summary>
/// Counts what each remote CPU's CPUMAP kernel thread reports after every batch it takes off its queue:
/// a BPF_PROG_TYPE_RAW_TRACEPOINT program for <c>xdp:xdp_cpumap_kthread</c> (xdp-bench counts the same).
/// A raw tracepoint's context is the tracepoint's C arguments (TP_PROTO), not the fields of its tracefs
/// <c>format</c> file; here they are <c>(int map_id, unsigned int processed, unsigned int drops, int sched,
/// struct xdp_cpumap_stats *xdp_stats)</c>, as the kernel's <c>btf_trace_xdp_cpumap_kthread</c> BTF type
/// says (Linux 5.10 added xdp_stats: <c>{ unsigned int redirect, pass, drop; }</c>, the remote program's
/// verdicts). The kernel binds the thread to its CPU, so the CPU that runs this program is the remote CPU:
/// one key, a per-CPU value <c>struct { __u64 processed, drops, sched, redirect, pass, drop; }</c>. Only the
/// CPUMAP whose id is in <see cref="CpuMapEnqueueProgram.MapIdMap"/> counts (0: every CPUMAP). In C:
/// <code>
/// SEC("raw_tracepoint/xdp_cpumap_kthread") int xdp_cpumap_kthread(__u64 *args)
/// {
///     __u32 key = 0, s[3];
///     if (map_id &amp;&amp; (int)args[0] != map_id)
///         return 0;
///     struct kthread_stats *v = bpf_map_lookup_elem(&amp;kthread_stats, &amp;key);
///     if (!v) return 0;
///     v->processed += (__u32)args[1]; v->drops += (__u32)args[2]; v->sched += (__u32)args[3];
///     if (bpf_probe_read_kernel(s, sizeof(s), (void *)args[4]) == 0)
///         { v->redirect += s[0]; v->pass += s[1]; v->drop += s[2]; }
///     return 0;
/// }
/// </code>
/// </summary>
public static class CpuMapKthreadProgram
{
    /// <summary>The program's name (the kernel keeps the first 15 characters).</summary>
    public const string Name = "xdp_cpumap_kthread";

    /// <summary>The raw tracepoint to attach it to.</summary>
    public const string Tracepoint = "xdp_cpumap_kthread";

    /// <summary>BPF_MAP_TYPE_PERCPU_ARRAY of one entry, the value <see cref="ValueSize"/> bytes of counters.</summary>
    public const string KthreadStatsMap = "kthread_stats";

    /// <summary>Six __u64 counters: processed, drops, sched, redirect, pass, drop.</summary>
    public const uint ValueSize = 48;

    /// <summary>Builds the program; map references are by name (<see cref="KthreadStatsMap"/>, <see cref="CpuMapEnqueueProgram.MapIdMap"/>).</summary>
    /// <param name="remoteActions">Whether to read the fifth argument, xdp_stats (Linux 5.10+); a kernel whose tracepoint
    /// has four arguments refuses the attach of a program that reads a fifth.</param>
    public static BpfProgram Build(bool remoteActions = true)
    {
        var p = new ProgramBuilder(Name);
        p.Mov(R6, R1);                                  // args
        p.LoadMapValue(R2, CpuMapEnqueueProgram.MapIdMap);
        p.Load(R2, Mem.U32(R2));
        p.JumpIf(W2 == 0, "count");
        p.Load(R3, Mem.U64(R6, 0));
        p.JumpIf(W3 != W2, "out");
        p.Label("count");
        p.Store(Mem.U32(R10, -4), 0);
        p.Mov(R2, R10).Add(R2, -4);
        p.LoadMapFd(R1, KthreadStatsMap);
        p.Call(BpfHelper.MapLookupElem);
        p.JumpIf(R0 == 0, "out");
        p.Mov(R7, R0);
        AddArgument(p, argument: 1, offset: 0);         // processed
        AddArgument(p, argument: 2, offset: 8);         // drops
        AddArgument(p, argument: 3, offset: 16);        // sched
        if (remoteActions)
        {
            p.Load(R3, Mem.U64(R6, 32));                // xdp_stats, a kernel pointer: read through the helper
            p.JumpIf(R3 == 0, "out");
            p.Mov(R1, R10).Add(R1, -16);
            p.Mov(R2, 12);
            p.Call(BpfHelper.ProbeReadKernel);
            p.JumpIf(R0 != 0, "out");
            AddStack(p, -16, 24);                       // redirect
            AddStack(p, -12, 32);                       // pass
            AddStack(p, -8, 40);                        // drop
        }
        p.Label("out");
        p.Return(0);
        return p.Build();
    }

    private static void AddArgument(ProgramBuilder p, int argument, short offset)
    {
        p.Load(R1, Mem.U64(R6, (short)(argument * 8)));
        p.Mov(W1, W1);
        p.Load(R2, Mem.U64(R7, offset));
        p.Add(R2, R1).Store(Mem.U64(R7, offset), R2);
    }

    private static void AddStack(ProgramBuilder p, short stack, short offset)
    {
        p.Load(R1, Mem.U32(R10, stack));
        p.Load(R2, Mem.U64(R7, offset));
        p.Add(R2, R1).Store(Mem.U64(R7, offset), R2);
    }
}
