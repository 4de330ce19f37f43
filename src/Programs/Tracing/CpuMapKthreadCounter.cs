using System.Runtime.InteropServices;
using CpuMap.Managed.Loader;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Programs.Bytecode;

namespace CpuMap.Managed.Programs.Tracing;

/// <summary>What one remote CPU's CPUMAP kernel thread reported (tracepoint xdp:xdp_cpumap_kthread).</summary>
/// <param name="Processed">Frames the thread took off its queue.</param>
/// <param name="Drops">Of those, frames it dropped itself (no memory for their socket buffers).</param>
/// <param name="Sched">Times the thread slept or yielded the CPU between batches.</param>
/// <param name="Redirect">Frames the remote program redirected (XDP_REDIRECT).</param>
/// <param name="Pass">Frames the remote program passed to the network stack (XDP_PASS).</param>
/// <param name="Drop">Frames the remote program dropped (XDP_DROP, XDP_ABORTED, a failed redirect).</param>
public readonly record struct KthreadCounters(ulong Processed, ulong Drops, ulong Sched, ulong Redirect, ulong Pass, ulong Drop)
{
    /// <summary>Counter by counter difference (counters only grow: later − earlier).</summary>
    public static KthreadCounters operator -(KthreadCounters a, KthreadCounters b) =>
        new(a.Processed - b.Processed, a.Drops - b.Drops, a.Sched - b.Sched, a.Redirect - b.Redirect, a.Pass - b.Pass, a.Drop - b.Drop);

    /// <summary>Counter by counter sum.</summary>
    public static KthreadCounters operator +(KthreadCounters a, KthreadCounters b) =>
        new(a.Processed + b.Processed, a.Drops + b.Drops, a.Sched + b.Sched, a.Redirect + b.Redirect, a.Pass + b.Pass, a.Drop + b.Drop);
}

/// <summary>
/// <see cref="CpuMapKthreadProgram"/> loaded with its maps: <see cref="Attach"/> it, then read what each
/// remote CPU's kernel thread processed, dropped, how often it slept, and its remote program's verdicts.
/// </summary>
public sealed class CpuMapKthreadCounter : IDisposable
{
    private CpuMapKthreadCounter(MapFd stats, MapFd mapId, ProgFd program)
    {
        KthreadStats = stats;
        MapId = mapId;
        Program = program;
    }

    /// <summary>kthread_stats: PERCPU_ARRAY of one entry; the value of CPU c is what c's kernel thread reported.</summary>
    public MapFd KthreadStats { get; }

    /// <summary>cpumap_id: the id of the CPUMAP counted (0: all).</summary>
    public MapFd MapId { get; }

    /// <summary>The BPF_PROG_TYPE_RAW_TRACEPOINT program.</summary>
    public ProgFd Program { get; private set; }

    /// <summary>
    /// Whether the remote program's verdicts (<see cref="KthreadCounters.Redirect"/>, Pass, Drop) are counted: false
    /// on a kernel whose tracepoint lacks the xdp_stats argument (before Linux 5.10), where they read 0.
    /// </summary>
    public bool CountsRemoteActions { get; private set; } = true;

    /// <summary>The raw tracepoint link while attached; null before <see cref="Attach"/>.</summary>
    public LinkFd? Link { get; private set; }

    /// <summary>Creates the maps and loads the program, counting only <paramref name="cpuMap"/>'s kernel threads (every CPUMAP's when null).</summary>
    public static CpuMapKthreadCounter Load(BpfCpuMap? cpuMap = null)
    {
        var stats = Bpf.MapCreate(BpfMapType.PercpuArray, sizeof(uint), CpuMapKthreadProgram.ValueSize, 1, name: CpuMapKthreadProgram.KthreadStatsMap);
        MapFd? mapId = null;
        try
        {
            mapId = Bpf.MapCreate(BpfMapType.Array, sizeof(uint), sizeof(uint), 1, name: CpuMapEnqueueProgram.MapIdMap);
            Bpf.MapUpdateElem(mapId, 0u, cpuMap?.Fd.Id ?? 0u);
            return new CpuMapKthreadCounter(stats, mapId, LoadProgram(stats, mapId, remoteActions: true));
        }
        catch
        {
            mapId?.Dispose();
            stats.Dispose();
            throw;
        }
    }

    /// <summary>Attaches to the kernel's <see cref="CpuMapKthreadProgram.Tracepoint"/> until disposed. Idempotent.</summary>
    public CpuMapKthreadCounter Attach()
    {
        if (Link is not null)
            return this;
        try
        {
            Link = Bpf.RawTracepointOpen(Program, CpuMapKthreadProgram.Tracepoint);
        }
        catch (BpfException e) when (e.Errno == Errno.EINVAL)
        {
            // The kernel checks at attach that the program reads no argument beyond the tracepoint's: a kernel
            // before 5.10 has four. Count what it has; the verdicts stay 0 and CountsRemoteActions says so.
            var fourArguments = LoadProgram(KthreadStats, MapId, remoteActions: false);
            Program.Dispose();
            Program = fourArguments;
            CountsRemoteActions = false;
            Link = Bpf.RawTracepointOpen(Program, CpuMapKthreadProgram.Tracepoint);
        }
        return this;
    }

    /// <summary>Every remote CPU's counters, indexed by CPU number (0 for numbers that are not possible CPUs).</summary>
    public PerCpuValues<KthreadCounters> ReadAll()
    {
        // Six u64 per CPU, in KthreadCounters' order: processed, drops, sched, redirect, pass, drop.
        return PerCpuArray<KthreadCounters>.Open(KthreadStats).Get(0);
    }

    /// <summary>Detaches, and closes the program and the maps.</summary>
    public void Dispose()
    {
        Link?.Dispose();
        Program.Dispose();
        KthreadStats.Dispose();
        MapId.Dispose();
    }

    private static ProgFd LoadProgram(MapFd stats, MapFd mapId, bool remoteActions) =>
        DslProgramLoader.Load(CpuMapKthreadProgram.Build(remoteActions), CpuMapKthreadProgram.Name, [stats, mapId], type: BpfProgType.RawTracepoint);
}
