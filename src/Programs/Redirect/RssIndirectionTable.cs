using System.Diagnostics.CodeAnalysis;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Programs.Bytecode;

namespace CpuMap.Managed.Programs.Redirect;

/// <summary>One bucket of the indirection table: its CPU and the frames hashed into it (over all CPUs that ran the program).</summary>
public readonly record struct RssBucket(int Bucket, int Cpu, ulong Packets);

/// <summary>
/// The flow-hash redirect's indirection table, as <c>ethtool -x/-X</c> shows and sets a NIC's: the hash picks a bucket,
/// <see cref="FlowHashProgram.IndirectionTableMap"/> maps the bucket to a CPU, and
/// <see cref="FlowHashProgram.BucketPacketsMap"/> counts each bucket's frames. A view over maps someone else owns
/// (a <see cref="FlowHashRedirect"/>, or an <see cref="AttachedRedirect"/> found on a device): it closes nothing.
/// </summary>
/// <remarks>
/// Each bucket is one 4-byte array value, which the kernel writes whole: a frame sees the old CPU or the new one,
/// and every flow of a bucket moves together. A CPU is accepted only if the CPUMAP has an entry for it (a frame sent
/// to a CPU without one is aborted).
/// </remarks>
public sealed class RssIndirectionTable
{
    /// <summary>The default size, as most NICs have (ethtool -x shows 128 rows on ixgbe, i40e and mlx5 by default).</summary>
    public const int DefaultBuckets = 128;

    /// <summary>The largest table: the rebalancer reads every bucket each interval, and NIC tables stop in the low thousands.</summary>
    public const int MaxBuckets = 4096;

    private readonly BpfCpuMap _cpuMap;

    internal RssIndirectionTable(MapFd table, MapFd bucketPackets, BpfCpuMap cpuMap)
    {
        Table = table;
        BucketPackets = bucketPackets;
        _cpuMap = cpuMap;
    }

    /// <summary>rss_indir: ARRAY, bucket → CPU.</summary>
    public MapFd Table { get; }

    /// <summary>rss_bucket_pkts: PERCPU_ARRAY, bucket → frames.</summary>
    public MapFd BucketPackets { get; }

    /// <summary>The number of buckets.</summary>
    public int Buckets => (int)Table.MaxEntries;

    /// <summary>
    /// Whether a table can have <paramref name="buckets"/> buckets (a power of two in 1..<see cref="MaxBuckets"/>), and if not,
    /// why: the one rule for bucket counts, for callers that check input before they load a table.
    /// </summary>
    public static bool IsValidBuckets(int buckets, [NotNullWhen(false)] out string? reason)
    {
        reason = buckets is < 1 or > MaxBuckets || (buckets & (buckets - 1)) != 0
            ? $"{buckets} buckets: the indirection table needs a power of two from 1 to {MaxBuckets} (the program takes the hash's low bits), e.g. {DefaultBuckets}."
            : null;
        return reason is null;
    }

    /// <summary>Refuses a bucket count <see cref="IsValidBuckets"/> refuses, naming <paramref name="name"/>.</summary>
    internal static void CheckBuckets(int buckets, string name = "buckets")
    {
        if (!IsValidBuckets(buckets, out var reason))
            throw new ArgumentOutOfRangeException(name, buckets, reason);
    }

    /// <summary>Creates the two maps of a table of <paramref name="buckets"/>, every bucket on CPU 0 and counting nothing.</summary>
    internal static (MapFd Table, MapFd BucketPackets) CreateMaps(int buckets)
    {
        CheckBuckets(buckets);
        var table = Bpf.MapCreate(BpfMapType.Array, sizeof(uint), sizeof(uint), (uint)buckets, name: FlowHashProgram.IndirectionTableMap);
        try
        {
            return (table, Bpf.MapCreate(BpfMapType.PercpuArray, sizeof(uint), sizeof(ulong), (uint)buckets, name: FlowHashProgram.BucketPacketsMap));
        }
        catch
        {
            table.Dispose();
            throw;
        }
    }

    /// <summary>Whether <paramref name="table"/> and <paramref name="packets"/> are a table's maps (names, types and sizes).</summary>
    internal static bool AreTableMaps(MapFd table, MapFd packets) =>
        table is { Type: BpfMapType.Array, KeySize: sizeof(uint), ValueSize: sizeof(uint), Name: FlowHashProgram.IndirectionTableMap }
        && packets is { Type: BpfMapType.PercpuArray, KeySize: sizeof(uint), ValueSize: sizeof(ulong), Name: FlowHashProgram.BucketPacketsMap }
        && table.MaxEntries == packets.MaxEntries;

    /// <summary>The CPUs the CPUMAP has entries for: the only ones a bucket may point at.</summary>
    public IReadOnlyList<int> ConfiguredCpus => [.. _cpuMap.Entries().Select(e => e.Cpu)];

    /// <summary>Each bucket's CPU, by bucket.</summary>
    public int[] ReadCpus()
    {
        var cpus = new int[Buckets];
        for (var b = 0; b < cpus.Length; b++)
        {
            Bpf.MapLookupElem(Table, (uint)b, out uint cpu);
            cpus[b] = (int)cpu;
        }
        return cpus;
    }

    /// <summary>Each bucket's frames since the table was made, summed over the CPUs that ran the program.</summary>
    public ulong[] ReadPackets()
    {
        var perCpu = PerCpuArray<ulong>.Open(BucketPackets);
        var packets = new ulong[Buckets];
        for (var b = 0; b < packets.Length; b++)
            packets[b] = perCpu.Get((uint)b).Sum();
        return packets;
    }

    /// <summary>Every bucket: its CPU and frames (what <c>cpumap rss show</c> prints).</summary>
    public RssBucket[] Read()
    {
        var cpus = ReadCpus();
        var packets = ReadPackets();
        return [.. Enumerable.Range(0, cpus.Length).Select(b => new RssBucket(b, cpus[b], packets[b]))];
    }

    /// <summary>Points <paramref name="bucket"/> at <paramref name="cpu"/>: its flows go there from the next frame on.</summary>
    public void Set(int bucket, int cpu)
    {
        if (bucket < 0 || bucket >= Buckets)
            throw new ArgumentOutOfRangeException(nameof(bucket), bucket,
                $"Bucket {bucket} is not in the indirection table: it has buckets 0 to {Buckets - 1} ('cpumap rss show' lists them).");
        CheckConfigured(cpu, ConfiguredCpus, nameof(cpu));
        Bpf.MapUpdateElem(Table, (uint)bucket, (uint)cpu);
    }

    /// <summary>Spreads the buckets evenly over <paramref name="cpus"/>, bucket b to cpus[b % count] (ethtool -X equal).</summary>
    public void Spread(IReadOnlyList<int> cpus)
    {
        ArgumentNullException.ThrowIfNull(cpus);
        SetWeights([.. cpus.Select(c => new RssWeight(c, 1))]);
    }

    /// <summary>
    /// Spreads the buckets over the CPUs in proportion to their weights (ethtool -X weight): each CPU gets its share of
    /// buckets to within one, interleaved rather than in runs, so neighbouring buckets land on different CPUs.
    /// </summary>
    public void SetWeights(IReadOnlyList<RssWeight> weights)
    {
        var configured = ConfiguredCpus;
        foreach (var w in weights ?? throw new ArgumentNullException(nameof(weights)))
            CheckConfigured(w.Cpu, configured, nameof(weights));
        var cpus = RssWeights.Assign(weights, Buckets);
        for (var b = 0; b < cpus.Length; b++)
            Bpf.MapUpdateElem(Table, (uint)b, (uint)cpus[b]);
    }

    private static void CheckConfigured(int cpu, IReadOnlyList<int> configured, string name)
    {
        if (!configured.Contains(cpu))
            throw new ArgumentOutOfRangeException(name, cpu,
                $"CPU {cpu} has no CPUMAP entry (the redirect's CPUs: {(configured.Count == 0 ? "none" : string.Join(',', configured))}): frames sent there " +
                "would be aborted. Choose one of those CPUs, or attach again with it in the CPU list (SoftwareRssOptions.Cpus).");
    }
}
