using BpfAsm;
using static BpfAsm.Register;
using CpuMap.Managed.Programs.Redirect;

namespace CpuMap.Managed.Programs.Bytecode;

/// <summary>
/// The end the per-frame modes share: from a position in the CPU list to the redirect and the counters.
/// In C: <c>cpu = cpus_available[position % nr_cpus]; return bpf_redirect_map(&amp;cpu_map, cpu, 0);</c>,
/// with nr_cpus 0 (not configured) aborting. Taking the position modulo the count makes every position
/// valid for any number of configured CPUs, one included.
/// </summary>
internal static class CpuPick
{
    /// <summary>The label to jump to with the position in r7.</summary>
    internal const string Label = "pick";

    /// <summary>The label to jump to with the XDP action in r0 (e.g. XDP_DROP), to be counted and returned.</summary>
    internal const string Count = "count";

    /// <summary>
    /// Emits label <see cref="Label"/> and what follows it, down to the exit (r9 = the counters from
    /// <see cref="RedirectStats.EmitLookup"/>). <paramref name="countDrops"/>: the program returns XDP_DROP
    /// through <see cref="Count"/>, and the counters tell those frames apart.
    /// </summary>
    internal static void Emit(ProgramBuilder p, bool countDrops)
    {
        p.Label(Label);
        p.LoadMapValue(R2, RoundRobinProgram.NrCpusMap);
        p.Load(R2, Mem.U32(R2));
        p.JumpIf(R2 == 0, "aborted");
        p.Mod(R7, R2);
        p.Store(Mem.U32(R10, -4), R7);
        p.Mov(R2, R10).Add(R2, -4);
        p.LoadMapFd(R1, RoundRobinProgram.CpusAvailableMap);
        p.Call(BpfHelper.MapLookupElem);
        p.JumpIf(R0 == 0, "aborted");
        p.Load(R2, Mem.U32(R0));
        p.LoadMapFd(R1, RoundRobinProgram.CpuMapMap);   // 0 = XDP_ABORTED when the CPU has no entry
        p.Mov(R3, 0);
        p.Call(BpfHelper.RedirectMap);
        p.Goto(Count);
        p.Label("aborted");
        p.Mov(R0, 0);
        p.Label(Count);
        RedirectStats.EmitCountAndExit(p, countDrops);
    }
}
