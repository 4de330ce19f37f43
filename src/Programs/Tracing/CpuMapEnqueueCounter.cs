using CpuMap.Managed.Loader;
using System.Runtime.InteropServices;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Programs.Bytecode;

namespace CpuMap.Managed.Programs.Tracing;

/// <summary>What the kernel enqueued into one remote CPU's queue, and dropped because the queue was full.</summary>
/// <param name="Processed">Frames the redirecting CPUs flushed towards the remote CPU (enqueued plus dropped).</param>
/// <param name="Drops">Frames dropped because the remote CPU's queue (its qsize) was full.</param>
/// <param name="Bulks">Bulk flushes (tracepoint events) these frames came in: <see cref="Processed"/> ÷ Bulks is the average bulk size.</param>
public readonly record struct EnqueueCounters(ulong Processed, ulong Drops, ulong Bulks = 0)
{
    /// <summary>Frames that went into the queue: <see cref="Processed"/> − <see cref="Drops"/>.</summary>
    public ulong Enqueued => Processed - Drops;

    /// <summary>Frames per bulk flush (the kernel flushes up to 8, CPU_MAP_BULK_SIZE); 0 without a flush.</summary>
    public double AverageBulk => Bulks == 0 ? 0 : (double)Processed / Bulks;

    /// <summary>Counter by counter difference (counters only grow: later − earlier).</summary>
    public static EnqueueCounters operator -(EnqueueCounters a, EnqueueCounters b) => new(a.Processed - b.Processed, a.Drops - b.Drops, a.Bulks - b.Bulks);

    /// <summary>Counter by counter sum.</summary>
    public static EnqueueCounters operator +(EnqueueCounters a, EnqueueCounters b) => new(a.Processed + b.Processed, a.Drops + b.Drops, a.Bulks + b.Bulks);
}

/// <summary>
/// <see cref="CpuMapEnqueueProgram"/> loaded, with its maps: <see cref="Attach"/> it to the raw
/// tracepoint <see cref="CpuMapEnqueueProgram.Tracepoint"/> (BPF_RAW_TRACEPOINT_OPEN), then read the
/// enqueued and dropped frames of each remote CPU.
/// </summary>
public sealed class CpuMapEnqueueCounter : IDisposable
{
    private CpuMapEnqueueCounter(MapFd stats, MapFd mapId, ProgFd program)
    {
        EnqueueStats = stats;
        MapId = mapId;
        Program = program;
    }

    /// <summary>enqueue_stats: PERCPU_ARRAY keyed by remote CPU.</summary>
    public MapFd EnqueueStats { get; }

    /// <summary>cpumap_id: the id of the CPUMAP counted (0: all).</summary>
    public MapFd MapId { get; }

    /// <summary>The BPF_PROG_TYPE_RAW_TRACEPOINT program.</summary>
    public ProgFd Program { get; }

    /// <summary>The raw tracepoint link while <see cref="Attach"/> holds it; null before.</summary>
    public LinkFd? Link { get; private set; }

    /// <summary>
    /// Attaches <see cref="Program"/> to the kernel's <see cref="CpuMapEnqueueProgram.Tracepoint"/>, so real
    /// CPUMAP enqueues are counted from now on until this counter is disposed. Idempotent.
    /// </summary>
    public CpuMapEnqueueCounter Attach()
    {
        Link ??= Bpf.RawTracepointOpen(Program, CpuMapEnqueueProgram.Tracepoint);
        return this;
    }

    /// <summary>
    /// Loads and attaches a counter of <paramref name="cpuMap"/>'s enqueues, or returns null on a kernel without the
    /// tracepoint or raw tracepoint links (what uses it then runs without the kernel's drop counts).
    /// </summary>
    public static CpuMapEnqueueCounter? TryAttach(BpfCpuMap cpuMap)
    {
        CpuMapEnqueueCounter? counter = null;
        try
        {
            counter = Load(cpuMap);
            return counter.Attach();
        }
        catch (BpfException)
        {
            counter?.Dispose();
            return null;
        }
    }

    /// <summary>Creates the maps and loads the program, counting only <paramref name="cpuMap"/>'s enqueues (every CPUMAP's when null).</summary>
    public static CpuMapEnqueueCounter Load(BpfCpuMap? cpuMap = null)
    {
        var stats = Bpf.MapCreate(BpfMapType.PercpuArray, sizeof(uint), CpuMapEnqueueProgram.ValueSize, (uint)CpuList.NrCpuIds, name: CpuMapEnqueueProgram.EnqueueStatsMap);
        MapFd? mapId = null;
        try
        {
            mapId = Bpf.MapCreate(BpfMapType.Array, sizeof(uint), sizeof(uint), 1, name: CpuMapEnqueueProgram.MapIdMap);
            Bpf.MapUpdateElem(mapId, 0u, cpuMap?.Fd.Id ?? 0u);
            var program = DslProgramLoader.Load(CpuMapEnqueueProgram.Build(), CpuMapEnqueueProgram.Name, [stats, mapId],
                type: BpfProgType.RawTracepoint);
            return new CpuMapEnqueueCounter(stats, mapId, program);
        }
        catch
        {
            mapId?.Dispose();
            stats.Dispose();
            throw;
        }
    }

    /// <summary>The counters of remote CPU <paramref name="cpu"/>, summed over the CPUs that redirected to it.</summary>
    public EnqueueCounters Read(int cpu)
    {
        var sum = default(EnqueueCounters);
        foreach (var pair in ReadFrom(cpu))
            sum += pair;
        return sum;
    }

    /// <summary>
    /// The counters of each <c>from→to</c> pair: <c>pairs[from][to]</c> is what CPU <c>from</c> flushed towards remote
    /// CPU <c>to</c> (indexed by CPU number; numbers that are not possible CPUs read 0).
    /// </summary>
    public EnqueueCounters[][] ReadPairs()
    {
        var size = CpuList.NrCpuIds;
        var pairs = new EnqueueCounters[size][];
        for (var from = 0; from < size; from++)
            pairs[from] = new EnqueueCounters[size];
        foreach (var to in CpuList.Possible)
        {
            var column = ReadFrom(to);
            for (var from = 0; from < size; from++)
                pairs[from][to] = column[from];
        }
        return pairs;
    }

    /// <summary>What each redirecting CPU flushed towards remote CPU <paramref name="cpu"/>, indexed by the redirecting CPU.</summary>
    private EnqueueCounters[] ReadFrom(int cpu)
    {
        if (!CpuList.Possible.Contains(cpu))
            throw new ArgumentOutOfRangeException(nameof(cpu), cpu,
                $"CPU {cpu} is not a possible CPU of this machine (possible: {CpuList.Possible}); only those have CPUMAP queues.");
        // Per CPU that ran the tracepoint: processed, drops and bulks, in EnqueueCounters' order.
        return PerCpuArray<EnqueueCounters>.Open(EnqueueStats).Get((uint)cpu).ToArray();
    }

    /// <summary>Every remote CPU's counters, indexed by CPU number.</summary>
    public EnqueueCounters[] ReadAll()
    {
        var all = new EnqueueCounters[CpuList.NrCpuIds];
        foreach (var cpu in CpuList.Possible)
            all[cpu] = Read(cpu);
        return all;
    }

    /// <summary>Detaches, and closes the program and the maps.</summary>
    public void Dispose()
    {
        Link?.Dispose();
        Program.Dispose();
        EnqueueStats.Dispose();
        MapId.Dispose();
    }
}
