using CpuMap.Managed.Programs.Tracing;
using CpuMap.Managed.Programs.Traffic;
namespace CpuMap.Managed.Programs.Redirect;

/// <summary>What one <see cref="BucketRebalancer.Step"/> saw and did.</summary>
/// <param name="Cpus">The CPUs buckets may point at.</param>
/// <param name="Loads">Each CPU's frames in the interval (order of <paramref name="Cpus"/>), before the moves.</param>
/// <param name="QueueDrops">Frames the kernel dropped at each CPU's full queue in the interval (order of <paramref name="Cpus"/>); zeros when not counted.</param>
/// <param name="Moves">The buckets moved, in the order they were moved.</param>
public sealed record RebalanceStep(IReadOnlyList<int> Cpus, IReadOnlyList<ulong> Loads, IReadOnlyList<ulong> QueueDrops, IReadOnlyList<BucketMove> Moves)
{
    /// <summary>The interval's imbalance (<see cref="LoadImbalance"/>) before the moves.</summary>
    public double ImbalanceBefore => LoadImbalance.Of([.. Loads]);

    /// <summary>The imbalance the same interval's frames would have had with the buckets where they are now.</summary>
    public double ImbalanceAfter
    {
        get
        {
            var loads = Loads.ToArray();
            foreach (var move in Moves)
            {
                loads[IndexOf(move.From)] -= move.Packets;
                loads[IndexOf(move.To)] += move.Packets;
            }
            return LoadImbalance.Of(loads);
        }
    }

    private int IndexOf(int cpu)
    {
        for (var i = 0; i < Cpus.Count; i++)
            if (Cpus[i] == cpu)
                return i;
        throw new InvalidOperationException($"CPU {cpu} of a move is not among the step's CPUs.");
    }
}

/// <summary>
/// The rebalancing agent, usable from code: each <see cref="Step"/> reads what every bucket counted since the last step
/// (and, with an enqueue counter, the frames each CPU's full queue dropped), plans with <see cref="BucketRebalance.Plan"/>
/// and rewrites only the buckets it moves. A flow changes CPU only when its bucket moves.
/// </summary>
/// <example>
/// <code>
/// using var rss = SoftwareRss.Load(new SoftwareRssOptions { Mode = RssMode.FlowHash });
/// var rebalancer = new BucketRebalancer(((FlowHashRedirect)rss.Redirect).Table!);
/// rebalancer.Run(TimeSpan.FromSeconds(1), step => Console.WriteLine(string.Join("\n", step.Moves)), cancel);
/// </code>
/// </example>
public sealed class BucketRebalancer
{
    private readonly CpuMapEnqueueCounter? _enqueue;
    private ulong[] _packets;
    private EnqueueCounters[]? _drops;

    /// <summary>Starts counting from now: the first step covers what happens after this constructor.</summary>
    /// <param name="table">The table to rebalance.</param>
    /// <param name="enqueue">The kernel's enqueue and queue-full drop counts for the table's CPUMAP (attached), or null.</param>
    /// <param name="tolerance">See <see cref="BucketRebalance.Plan"/>.</param>
    public BucketRebalancer(RssIndirectionTable table, CpuMapEnqueueCounter? enqueue = null, double tolerance = BucketRebalance.DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!(tolerance >= 0))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance is a fraction of the fair share, 0 or more (0.1 = 10 %).");
        Table = table;
        Tolerance = tolerance;
        _enqueue = enqueue;
        _packets = table.ReadPackets();
        _drops = enqueue?.ReadAll();
    }

    /// <summary>The table this agent moves buckets in.</summary>
    public RssIndirectionTable Table { get; }

    /// <summary>How far above the fair share the busiest CPU may be before buckets move.</summary>
    public double Tolerance { get; }

    /// <summary>Reads the interval since the last step, moves buckets if needed, and says what it did.</summary>
    public RebalanceStep Step()
    {
        var now = Table.ReadPackets();
        var interval = new ulong[now.Length];
        for (var b = 0; b < now.Length; b++)
            interval[b] = now[b] - _packets[b];
        _packets = now;
        var cpus = Table.ConfiguredCpus;
        ulong[]? dropsByCpu = null;
        if (_enqueue is not null)
        {
            var drops = _enqueue.ReadAll();
            dropsByCpu = new ulong[drops.Length];
            for (var cpu = 0; cpu < drops.Length; cpu++)
                dropsByCpu[cpu] = drops[cpu].Drops - _drops![cpu].Drops;
            _drops = drops;
        }
        var bucketCpus = Table.ReadCpus();
        var moves = BucketRebalance.Plan(interval, bucketCpus, cpus, dropsByCpu, Tolerance);
        foreach (var move in moves)
            Table.Set(move.Bucket, move.To);
        return new RebalanceStep(cpus, BucketRebalance.Loads(interval, bucketCpus, cpus),
            [.. cpus.Select(c => dropsByCpu is not null && c < dropsByCpu.Length ? dropsByCpu[c] : 0)], moves);
    }

    /// <summary>Steps every <paramref name="interval"/> until cancelled, telling <paramref name="log"/> each step.</summary>
    public void Run(TimeSpan interval, Action<RebalanceStep> log, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (interval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "The rebalance interval must be above zero, e.g. 1 s.");
        while (!cancellation.WaitHandle.WaitOne(interval))
            log(Step());
    }
}
