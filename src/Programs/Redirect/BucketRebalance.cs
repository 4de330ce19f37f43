namespace CpuMap.Managed.Programs.Redirect;

/// <summary>
/// The rebalancer's decision, a pure function of one interval's counters (no kernel): which buckets to move so the
/// most loaded CPU sheds load to the least loaded, moving as few buckets as it can.
/// </summary>
/// <remarks>
/// A CPU's load is the frames of the buckets pointing at it (the program counts a bucket before the enqueue, so frames a
/// full queue dropped are in it too). While the busiest CPU is above the fair share by more than the tolerance, or the
/// kernel dropped frames at its queue and not at the least loaded CPU's (all dropping: moving cannot help), the largest bucket of the busiest CPU that still fits is moved to the least loaded
/// CPU. It fits when its frames are fewer than the gap between the two: then both end below the busiest's old load, so
/// no move makes things worse (the sum of squared loads falls at every move, which also bounds the loop). A bucket moves
/// at most once per plan, and buckets that counted nothing never move (nothing is known about their flows).
/// </remarks>
public static class BucketRebalance
{
    /// <summary>The default tolerance: the busiest CPU may carry 10 % above its fair share before buckets move.</summary>
    public const double DefaultTolerance = 0.10;

    /// <summary>Plans the moves for one interval.</summary>
    /// <param name="bucketPackets">Each bucket's frames in the interval.</param>
    /// <param name="bucketCpus">Each bucket's CPU now (same length).</param>
    /// <param name="cpus">The CPUs buckets may point at (the CPUMAP's entries), each once.</param>
    /// <param name="queueDrops">Frames the kernel dropped at each CPU's full queue in the interval, indexed by CPU number; null for none known.</param>
    /// <param name="tolerance">How far above the fair share the busiest CPU may be before a move, 0 or more.</param>
    public static BucketMove[] Plan(IReadOnlyList<ulong> bucketPackets, IReadOnlyList<int> bucketCpus, IReadOnlyList<int> cpus,
        IReadOnlyList<ulong>? queueDrops = null, double tolerance = DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(bucketPackets);
        ArgumentNullException.ThrowIfNull(bucketCpus);
        ArgumentNullException.ThrowIfNull(cpus);
        if (bucketPackets.Count != bucketCpus.Count)
            throw new ArgumentException($"{bucketPackets.Count} bucket counts for {bucketCpus.Count} buckets: give one count per bucket.", nameof(bucketPackets));
        if (!(tolerance >= 0))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance is a fraction of the fair share, 0 or more (0.1 = 10 %).");
        if (cpus.Count < 2)
            return [];
        var index = new Dictionary<int, int>();
        for (var i = 0; i < cpus.Count; i++)
            if (!index.TryAdd(cpus[i], i))
                throw new ArgumentException($"CPU {cpus[i]} is listed twice in [{string.Join(',', cpus)}]: list each CPU once.", nameof(cpus));

        var load = new ulong[cpus.Count];
        for (var b = 0; b < bucketCpus.Count; b++)
            if (index.TryGetValue(bucketCpus[b], out var i))
                load[i] += bucketPackets[b];
        var total = load.Aggregate(0.0, (sum, x) => sum + x);
        if (total == 0)
            return [];
        var ceiling = total / cpus.Count * (1 + tolerance);
        var drops = new bool[cpus.Count];
        for (var i = 0; i < cpus.Count; i++)
            drops[i] = queueDrops is not null && cpus[i] < queueDrops.Count && queueDrops[cpus[i]] > 0;

        // Largest first, so the fewest moves close the gap.
        var order = Enumerable.Range(0, bucketCpus.Count).Where(b => bucketPackets[b] > 0 && index.ContainsKey(bucketCpus[b]))
            .OrderByDescending(b => bucketPackets[b]).ThenBy(b => b).ToArray();
        var where = bucketCpus.ToArray();
        var moved = new bool[bucketCpus.Count];
        var moves = new List<BucketMove>();
        while (true)
        {
            var max = load.Max();
            var dst = 0;
            for (var i = 1; i < cpus.Count; i++)
                if (load[i] < load[dst] || (load[i] == load[dst] && drops[dst] && !drops[i]))
                    dst = i;
            var busiest = Enumerable.Range(0, cpus.Count).Where(i => load[i] == max).OrderByDescending(i => drops[i]).ToArray();
            // Drops say a queue overflowed; they are a reason to move only towards a CPU whose queue kept up.
            if (max <= ceiling && !(busiest.Any(i => drops[i]) && !drops[dst]))
                break;
            // The largest bucket that fits the gap, of any CPU tied for the most load (one that dropped frames first).
            var gap = max - load[dst];
            var (pick, src) = (-1, -1);
            foreach (var i in busiest)
            {
                foreach (var b in order)
                    if (!moved[b] && where[b] == cpus[i] && bucketPackets[b] < gap)
                    {
                        (pick, src) = (b, i);
                        break;
                    }
                if (pick >= 0)
                    break;
            }
            if (pick < 0)
                break;
            moved[pick] = true;
            where[pick] = cpus[dst];
            load[src] -= bucketPackets[pick];
            load[dst] += bucketPackets[pick];
            // The drops were the old load's; once a bucket has left, the CPU is judged on its load alone.
            drops[src] = false;
            moves.Add(new BucketMove(pick, cpus[src], cpus[dst], bucketPackets[pick]));
        }
        return [.. moves];
    }

    /// <summary>Each CPU's load (frames of its buckets), in the order of <paramref name="cpus"/>.</summary>
    public static ulong[] Loads(IReadOnlyList<ulong> bucketPackets, IReadOnlyList<int> bucketCpus, IReadOnlyList<int> cpus)
    {
        var load = new ulong[cpus.Count];
        for (var b = 0; b < bucketCpus.Count; b++)
        {
            var i = IndexOf(cpus, bucketCpus[b]);
            if (i >= 0)
                load[i] += bucketPackets[b];
        }
        return load;
    }

    private static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i] == value)
                return i;
        return -1;
    }
}
