using CpuMap.Managed.Loader;
using BpfAsm;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Programs.Bytecode;

namespace CpuMap.Managed.Programs.Redirect;

/// <summary>
/// The flow-hash redirect (<see cref="FlowHashProgram"/>) ready to run: its maps created (those of
/// every <see cref="CpuRedirect"/>, plus non_ip_cpu, <see cref="RedirectStats"/> and the indirection table's two) and the program
/// loaded as XDP. <see cref="Configure(IReadOnlyList{int}, uint, ProgFd?, int?)"/> chooses the CPUs and the one that gets
/// frames it cannot hash.
/// </summary>
public sealed class FlowHashRedirect : CpuRedirect
{
    private FlowHashRedirect(RedirectMaps maps, MapFd nonIpCpu, MapFd stats, bool symmetric, BpfProgram instructions, ProgFd program,
        (MapFd Table, MapFd Packets)? table)
        : base(maps, stats, instructions, program)
    {
        NonIpCpuMap = nonIpCpu;
        Symmetric = symmetric;
        if (table is { } t)
            Table = new RssIndirectionTable(t.Table, t.Packets, maps.CpuMap);
    }

    /// <summary>
    /// The indirection table (bucket → CPU, and each bucket's frames), or null when loaded without one. Configure
    /// spreads it evenly over the CPUs; <see cref="RssIndirectionTable.Set"/> and <see cref="BucketRebalancer"/> move buckets.
    /// </summary>
    public RssIndirectionTable? Table { get; }

    /// <summary>non_ip_cpu: one-entry ARRAY read as global data: the CPU for frames the program cannot hash.</summary>
    public MapFd NonIpCpuMap { get; }

    /// <summary>Whether both directions of a connection land on the same CPU (endpoints ordered before hashing).</summary>
    public bool Symmetric { get; }

    /// <summary>The CPU that gets frames the program cannot hash; null until configured.</summary>
    public int? NonIpCpu { get; private set; }

    /// <inheritdoc />
    public override RssMode? Mode => RssMode.FlowHash;

    /// <inheritdoc />
    public override string ToString() => Symmetric ? $"{RssMode.FlowHash.Name()} (symmetric)" : RssMode.FlowHash.Name();

    /// <summary>Creates the maps and loads the program. Needs root (or CAP_BPF and CAP_NET_ADMIN).</summary>
    /// <param name="symmetric">Order the two endpoints before hashing, so A→B and B→A land on one CPU.</param>
    /// <param name="buckets">
    /// The indirection table's buckets, a power of two up to <see cref="RssIndirectionTable.MaxBuckets"/>; null for no
    /// table (the CPU is the hash modulo the number of CPUs: one lookup fewer, nothing to rebalance).
    /// </param>
    public static FlowHashRedirect Load(bool symmetric = false, int? buckets = RssIndirectionTable.DefaultBuckets)
    {
        if (buckets is { } size)
            RssIndirectionTable.CheckBuckets(size, nameof(buckets));
        var maps = RedirectMaps.Create(FlowHashProgram.CpuMapMap, FlowHashProgram.CpusAvailableMap, FlowHashProgram.NrCpusMap);
        try
        {
            var nonIpCpu = maps.Add(Bpf.MapCreate(BpfMapType.Array, sizeof(uint), sizeof(uint), 1, name: FlowHashProgram.NonIpCpuMap));
            var stats = maps.Add(RedirectStats.Create());
            (MapFd, MapFd)? table = null;
            if (buckets is { } n)
            {
                var (indir, packets) = RssIndirectionTable.CreateMaps(n);
                table = (maps.Add(indir), maps.Add(packets));
            }
            var instructions = FlowHashProgram.Build(symmetric, buckets);
            var program = DslProgramLoader.Load(instructions, FlowHashProgram.Name, maps.Fds);
            return new FlowHashRedirect(maps, nonIpCpu, stats, symmetric, instructions, program, table);
        }
        catch
        {
            maps.Dispose();
            throw;
        }
    }

    /// <summary>
    /// As <see cref="CpuRedirect.Configure(IReadOnlyList{int}, uint, ProgFd?)"/>, and sends frames the program cannot hash
    /// to <paramref name="nonIpCpu"/>. (That overload keeps the non-IP CPU if it is still listed, else uses the first CPU.)
    /// </summary>
    /// <param name="cpus">Distinct possible CPUs, at least one.</param>
    /// <param name="qsize">Frames each remote CPU's queue holds, 1..16384.</param>
    /// <param name="program">The remote CPUs' XDP program (expected attach type BPF_XDP_CPUMAP), or null.</param>
    /// <param name="nonIpCpu">One of <paramref name="cpus"/> (it needs a CPUMAP entry); the first when null.</param>
    public void Configure(IReadOnlyList<int> cpus, uint qsize, ProgFd? program, int? nonIpCpu)
    {
        ArgumentNullException.ThrowIfNull(cpus);
        if (nonIpCpu is { } chosen && cpus.Count > 0 && !cpus.Contains(chosen))
            throw new ArgumentOutOfRangeException(nameof(nonIpCpu), chosen,
                $"The non-IP CPU {chosen} is not in the CPU list [{string.Join(',', cpus)}]: frames sent to a CPU without a CPUMAP entry " +
                "are aborted. Choose one of the listed CPUs, or add it to the list.");
        ConfigureEntries(cpus, qsize, program, next =>
        {
            WriteNonIpCpu(nonIpCpu ?? next[0]);
            Table?.Spread(next);
        });
    }

    /// <summary>
    /// Without a choice, the non-IP CPU stays where it was if it is still listed, else it is the first listed. The table
    /// is spread evenly over the new list (buckets moved before are moved back).
    /// </summary>
    private protected override void WriteModeSettings(int[] cpus)
    {
        WriteNonIpCpu(NonIpCpu is { } current && cpus.Contains(current) ? current : cpus[0]);
        Table?.Spread(cpus);
    }

    private void WriteNonIpCpu(int cpu)
    {
        Bpf.MapUpdateElem(NonIpCpuMap, 0u, (uint)cpu);
        NonIpCpu = cpu;
    }
}
