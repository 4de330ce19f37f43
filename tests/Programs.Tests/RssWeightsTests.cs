using CpuMap.Managed.Programs.Bytecode;
using CpuMap.Managed.Programs.Redirect;
namespace CpuMap.Managed.Programs.Tests;

/// <summary>Weights to a table, and the --weights syntax, without a kernel.</summary>
public sealed class RssWeightsTests
{
    [Fact]
    public void Equal_weights_give_bucket_b_to_the_cpu_at_b_modulo_the_count()
    {
        int[] cpus = [4, 1, 7];
        var table = RssWeights.Assign([.. cpus.Select(c => new RssWeight(c, 1))], 128);
        for (var b = 0; b < table.Length; b++)
            Assert.Equal(cpus[b % cpus.Length], table[b]);
    }

    [Theory]
    [InlineData(128, new[] { 3, 1 }, new[] { 96, 32 })]
    [InlineData(128, new[] { 1, 0, 1 }, new[] { 64, 0, 64 })]
    [InlineData(8, new[] { 1, 1, 1 }, new[] { 3, 3, 2 })]
    [InlineData(64, new[] { 5, 3 }, new[] { 40, 24 })]
    public void Each_cpu_gets_its_share_of_buckets_to_within_one(int buckets, int[] weights, int[] expected)
    {
        var table = RssWeights.Assign([.. weights.Select((w, cpu) => new RssWeight(cpu, w))], buckets);
        Assert.Equal(expected, Enumerable.Range(0, weights.Length).Select(cpu => table.Count(c => c == cpu)));
        // Interleaved, not in runs: with 3:1, no run of one CPU is longer than 3.
        var longest = table.Select((c, i) => table.Skip(i).TakeWhile(x => x == c).Count()).Max();
        Assert.True(longest <= (weights.Max() + weights.Where(w => w > 0).Min() - 1) / weights.Where(w => w > 0).Min(), $"a run of {longest}");
    }

    [Fact]
    public void Parses_cpu_weight_pairs_and_bare_cpus()
    {
        Assert.Equal([new RssWeight(0, 3), new RssWeight(1, 1)], RssWeights.Parse("0:3,1:1"));
        Assert.Equal([new RssWeight(2, 1), new RssWeight(5, 1)], RssWeights.Parse("2,5"));
        Assert.Equal([new RssWeight(0, 0), new RssWeight(1, 2)], RssWeights.Parse("0:0, 1:2"));
    }

    [Theory]
    [InlineData("", "'' in the weights '' is not CPU:WEIGHT")]
    [InlineData("0:", "'0:' in the weights '0:' has no weight from 0 to 65536")]
    [InlineData("a:1", "'a:1' in the weights 'a:1' is not CPU:WEIGHT")]
    [InlineData("0:1:2", "'0:1:2' in the weights '0:1:2' is not CPU:WEIGHT")]
    [InlineData("0:-1", "'0:-1' in the weights '0:-1' has no weight")]
    [InlineData("0:70000", "has no weight from 0 to 65536")]
    [InlineData("0:1,0:2", "The weights name a CPU twice (0:1,0:2)")]
    [InlineData("0:0,1:0", "Every weight is 0")]
    public void Malformed_weights_are_refused_naming_the_item_and_the_fix(string text, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => RssWeights.Parse(text));
        Assert.Contains(expected, e.Message);
        Assert.Equal("text", e.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(3)]
    [InlineData(96)]
    [InlineData(8192)]
    public void Bucket_counts_that_are_not_powers_of_two_up_to_4096_are_refused(int buckets)
    {
        Assert.False(RssIndirectionTable.IsValidBuckets(buckets, out var reason));
        Assert.Contains($"{buckets} buckets: the indirection table needs a power of two from 1 to 4096", reason);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => FlowHashProgram.Build(false, buckets));
        Assert.Equal(("buckets", reason), (e.ParamName, e.Message.Split(" (Parameter")[0]));
    }
}
