using CsCheck;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Traffic;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>
/// The rebalancer's decision as a pure function, over random tables and counts (CsCheck shrinks a failure to a small
/// case): each property is checked by replaying the moves on the counts, independently of how the planner got there.
/// </summary>
public sealed class BucketRebalanceTests
{
    private sealed record Case(int[] Cpus, int[] BucketCpus, ulong[] Packets, ulong[]? Drops, double Tolerance)
    {
        public override string ToString() =>
            $"cpus [{string.Join(',', Cpus)}], table [{string.Join(',', BucketCpus)}], packets [{string.Join(',', Packets)}], " +
            $"drops {(Drops is null ? "none" : $"[{string.Join(',', Drops)}]")}, tolerance {Tolerance}";
    }

    // CPU numbers with holes (as on machines with offline CPUs), 1 to 6 of them; skewed counts: mostly small, a few large, some zero.
    private static readonly Gen<Case> Cases =
        from cpus in Gen.Int[0, 63].HashSet[1, 6].Select(s => s.ToArray())
        from log2 in Gen.Int[0, 7]
        from bucketCpus in Gen.Int[0, cpus.Length - 1].Array[1 << log2].Select(ix => ix.Select(i => cpus[i]).ToArray())
        from packets in Gen.Frequency((3, Gen.ULong[0, 10]), (2, Gen.ULong[0, 1000]), (1, Gen.ULong[0, 1_000_000])).Array[1 << log2]
        from drops in Gen.Frequency((2, Gen.Const((ulong[]?)null)), (1, Gen.ULong[0, 3].Array[64].Select(d => (ulong[]?)d)))
        from tolerance in Gen.Double[0, 0.5]
        select new Case(cpus, bucketCpus, packets, drops, tolerance);

    [Fact]
    public void Every_move_takes_a_counted_bucket_from_its_cpu_to_another_listed_one_at_most_once()
    {
        Cases.Sample(c =>
        {
            var moves = BucketRebalance.Plan(c.Packets, c.BucketCpus, c.Cpus, c.Drops, c.Tolerance);
            Assert.Equal(moves.Length, moves.Select(m => m.Bucket).Distinct().Count());
            foreach (var m in moves)
            {
                Assert.Equal(c.BucketCpus[m.Bucket], m.From);
                Assert.Contains(m.To, c.Cpus);
                Assert.NotEqual(m.From, m.To);
                Assert.Equal(c.Packets[m.Bucket], m.Packets);
                Assert.True(m.Packets > 0, $"bucket {m.Bucket} counted nothing and was moved: {c}");
            }
        }, iter: 3000);
    }

    [Fact]
    public void No_move_makes_things_worse()
    {
        Cases.Sample(c =>
        {
            var loads = Loads(c.Packets, c.BucketCpus, c.Cpus);
            foreach (var m in BucketRebalance.Plan(c.Packets, c.BucketCpus, c.Cpus, c.Drops, c.Tolerance))
            {
                var (maxBefore, squaresBefore) = (loads.Values.Max(), Squares(loads));
                loads[m.From] -= m.Packets;
                loads[m.To] += m.Packets;
                Assert.True(loads.Values.Max() <= maxBefore, $"{m} raised the busiest CPU's load above {maxBefore}: {c}");
                Assert.True(Squares(loads) < squaresBefore, $"{m} left the spread no better: {c}");
                Assert.True(Math.Max(loads[m.From], loads[m.To]) < Math.Max(loads[m.From] + m.Packets, loads[m.To] - m.Packets),
                    $"{m}: the pair ends no better than it started: {c}");
            }
        }, iter: 3000);
    }

    [Fact]
    public void Stops_only_when_balanced_within_the_tolerance_or_no_bucket_of_the_busiest_cpu_fits()
    {
        Cases.Sample(c =>
        {
            var moves = BucketRebalance.Plan(c.Packets, c.BucketCpus, c.Cpus, c.Drops, c.Tolerance);
            if (c.Cpus.Length < 2)
            {
                Assert.Empty(moves);
                return;
            }
            var table = (int[])c.BucketCpus.Clone();
            foreach (var m in moves)
                table[m.Bucket] = m.To;
            var loads = Loads(c.Packets, table, c.Cpus);
            var total = loads.Values.Aggregate(0.0, (s, x) => s + x);
            var max = loads.Values.Max();
            var min = loads.Values.Min();
            var moved = moves.Select(m => m.Bucket).ToHashSet();
            var busiest = loads.Where(kv => kv.Value == max).Select(kv => kv.Key).ToHashSet();
            var fits = Enumerable.Range(0, table.Length)
                .Any(b => !moved.Contains(b) && busiest.Contains(table[b]) && c.Packets[b] > 0 && c.Packets[b] < max - min);
            Assert.True(max <= total / c.Cpus.Length * (1 + c.Tolerance) || !fits,
                $"stopped after {moves.Length} moves with the busiest CPU at {max} of {total} and a bucket that fits the gap to {min}: {c}");
        }, iter: 3000);
    }

    [Fact]
    public void A_balanced_table_without_drops_is_left_alone()
    {
        Cases.Where(c => c.Drops is null).Sample(c =>
        {
            var loads = Loads(c.Packets, c.BucketCpus, c.Cpus);
            var total = loads.Values.Aggregate(0.0, (s, x) => s + x);
            if (loads.Values.Max() <= total / c.Cpus.Length * (1 + c.Tolerance))
                Assert.Empty(BucketRebalance.Plan(c.Packets, c.BucketCpus, c.Cpus, c.Drops, c.Tolerance));
        }, iter: 3000);
    }

    [Fact]
    public void Moves_the_largest_bucket_that_fits_first()
    {
        // CPU 0 carries 100 + 60 + 5, CPU 1 carries 10: the gap is 155, so the 100 goes first (not the 60 and the 5).
        var moves = BucketRebalance.Plan([100, 60, 5, 10], [0, 0, 0, 1], [0, 1], tolerance: 0);
        Assert.Equal(new BucketMove(0, 0, 1, 100), moves[0]);
        // Loads after the first move: CPU 0 65, CPU 1 110; gap 45: bucket 3 (10) fits, bucket 0 already moved.
        Assert.Equal(new BucketMove(3, 1, 0, 10), moves[1]);
        // Then 75 / 100: gap 25, nothing unmoved on CPU 1 fits; done.
        Assert.Equal(2, moves.Length);
    }

    [Fact]
    public void Queue_drops_make_a_cpu_within_the_tolerance_shed_a_bucket()
    {
        // 52 / 48 is within 10 %; the kernel dropped frames at CPU 3's queue, so one bucket that fits the gap of 4 moves.
        Assert.Empty(BucketRebalance.Plan([50, 2, 48], [3, 3, 5], [3, 5]));
        var drops = new ulong[8];
        drops[3] = 7;
        Assert.Equal([new BucketMove(1, 3, 5, 2)], BucketRebalance.Plan([50, 2, 48], [3, 3, 5], [3, 5], drops));
    }

    [Fact]
    public void Bad_input_is_refused_naming_it()
    {
        Assert.Equal("bucketPackets", Assert.Throws<ArgumentException>(() => BucketRebalance.Plan([1, 2], [0], [0, 1])).ParamName);
        var twice = Assert.Throws<ArgumentException>(() => BucketRebalance.Plan([1], [0], [0, 0]));
        Assert.Contains("CPU 0 is listed twice in [0,0]", twice.Message);
        Assert.Equal("tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => BucketRebalance.Plan([1], [0], [0, 1], tolerance: -0.1)).ParamName);
        Assert.Equal("tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => BucketRebalance.Plan([1], [0], [0, 1], tolerance: double.NaN)).ParamName);
    }

    [Fact]
    public void Imbalance_is_the_busiest_share_over_the_fair_share()
    {
        Assert.Equal(1.0, LoadImbalance.Of([5ul, 5, 5, 5]));
        Assert.Equal(4.0, LoadImbalance.Of([0ul, 0, 20, 0]));
        Assert.Equal(1.5, LoadImbalance.Of([75ul, 25]));    // 75 % ÷ 50 %
        Assert.Equal(0.0, LoadImbalance.Of([0ul, 0]));
        Assert.Equal(0.0, LoadImbalance.Of(Array.Empty<ulong>()));
    }

    private static Dictionary<int, ulong> Loads(ulong[] packets, int[] table, int[] cpus)
    {
        var loads = cpus.ToDictionary(c => c, _ => 0ul);
        for (var b = 0; b < table.Length; b++)
            loads[table[b]] += packets[b];
        return loads;
    }

    private static double Squares(Dictionary<int, ulong> loads) => loads.Values.Aggregate(0.0, (s, x) => s + (double)x * x);
}
