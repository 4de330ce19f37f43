using BpfAsm;
using CpuMap.Managed.Loader;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Programs.Bytecode;

namespace CpuMap.Managed.Programs.Redirect;

/// <summary>
/// The round-robin redirect ready to run: its maps (cpu_map with one slot per possible CPU,
/// cpus_available, cpus_iterator, nr_cpus) created, bound into <see cref="RoundRobinProgram"/> and the
/// program loaded as XDP (no expected attach type). <see cref="CpuRedirect.Configure(IReadOnlyList{int}, uint, ProgFd?)"/>
/// chooses the CPUs that receive frames. Dispose closes the program and the maps, which ends the
/// CPUMAP's kernel threads once nothing else (an attached link, another fd) holds them.
/// </summary>
public sealed class RoundRobinRedirect : CpuRedirect
{
    private RoundRobinRedirect(RedirectMaps maps, MapFd cpusIterator, MapFd? stats, BpfProgram instructions, ProgFd program)
        : base(maps, stats, instructions, program) => CpusIterator = cpusIterator;

    /// <summary>cpus_iterator: PERCPU_ARRAY, one entry: the next position in the list, for each CPU that runs the program.</summary>
    public MapFd CpusIterator { get; }

    /// <inheritdoc />
    public override RssMode? Mode => RssMode.RoundRobin;

    /// <inheritdoc />
    public override string ToString() => RssMode.RoundRobin.Name();

    /// <summary>Creates the maps and loads the program. Needs root (or CAP_BPF and CAP_NET_ADMIN).</summary>
    /// <param name="countStats">Count frames in <see cref="CpuRedirect.Stats"/> (see <see cref="RoundRobinProgram.Build"/>); off, the program is the seed's.</param>
    public static RoundRobinRedirect Load(bool countStats = false)
    {
        var maps = RedirectMaps.Create(RoundRobinProgram.CpuMapMap, RoundRobinProgram.CpusAvailableMap, RoundRobinProgram.NrCpusMap);
        try
        {
            var cpusIterator = maps.Add(Bpf.MapCreate(BpfMapType.PercpuArray, sizeof(uint), sizeof(uint), 1, name: RoundRobinProgram.CpusIteratorMap));
            var stats = countStats ? maps.Add(RedirectStats.Create()) : null;
            var instructions = RoundRobinProgram.Build(countStats);
            var program = DslProgramLoader.Load(instructions, RoundRobinProgram.Name, maps.Fds);
            return new RoundRobinRedirect(maps, cpusIterator, stats, instructions, program);
        }
        catch
        {
            maps.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Each CPU's cpus_iterator (the position it will pick next), indexed by CPU number: the CPU that
    /// ran the program has moved on, the others are where they were.
    /// </summary>
    public PerCpuValues<uint> ReadIterators()
    {
        ThrowIfDisposed();
        return PerCpuArray<uint>.Open(CpusIterator).Get(0);
    }
}
