using System.Text.Json;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;
using CpuMap.Managed.Programs.Traffic;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>The demo with skewed flows, the indirection table and the rebalancer: its figures checked against each other and the kernel's counts.</summary>
public sealed class DemoSkewTests
{
    [Fact]
    public void Zipf_flows_split_exactly_heaviest_first()
    {
        var counts = FlowSkew.Zipf(1).Split(1000, 4);
        // 1 : 1/2 : 1/3 : 1/4 of 1000 = 480, 240, 160, 120 exactly.
        Assert.Equal([480ul, 240, 160, 120], counts);
        Assert.Equal(1001ul, FlowSkew.Zipf(1.3).Split(1001, 7).Aggregate(0ul, (a, b) => a + b));
        Assert.Equal([3ul, 3, 2], FlowSkew.Uniform.Split(8, 3));
        Assert.Equal("zipf:1.2", FlowSkew.Parse("zipf:1.2").ToString());
        Assert.Same(FlowSkew.Uniform, FlowSkew.Parse("uniform"));
    }

    [Fact]
    public void Rebalanced_demo_sends_equal_rounds_and_never_ends_less_balanced()
    {
        Kernel.RequireBpf();
        var result = SoftwareRssDemo.Run(new DemoOptions
        {
            Rss = new SoftwareRssOptions { Mode = RssMode.FlowHash, Remote = RemoteAction.Drop, Buckets = 64 },
            Frames = 60_002, Flows = 32, Skew = FlowSkew.Zipf(1.2), Rebalance = true, Rounds = 3,
        }, null, TestContext.Current.CancellationToken);
        Assert.False(result.Cancelled);
        Assert.Equal(60_000ul, result.Sent);     // rounded down to a multiple of the rounds
        Assert.Equal(3, result.Rounds.Count);
        Assert.Empty(result.Rounds[^1].Moves);
        if (result.KernelQueueDrops is not null)
        {
            // The kernel's enqueue counts: every round's frames went to some CPU, and all rounds had the same frames.
            Assert.All(result.Rounds, r => Assert.Equal(20_000ul, r.Load.Aggregate(0ul, (a, b) => a + b)));
            Assert.Equal(result.Sent, result.Cpus.Aggregate(0ul, (s, c) => s + result.LoadOf(c)));
        }
        // Same frames each round, buckets only moved when a move helps: the busiest CPU never gets busier, and once
        // something moved the spread is strictly better (the sum of squared loads falls; the maximum may tie on 3+ CPUs).
        for (var i = 1; i < result.Rounds.Count; i++)
        {
            var (prev, next) = (result.Rounds[i - 1], result.Rounds[i]);
            Assert.True(next.Imbalance <= prev.Imbalance + 1e-12, $"round {next.Round} {next.Imbalance} after round {prev.Round} {prev.Imbalance}");
            if (prev.Moves.Count > 0 && result.KernelQueueDrops is not null)
                Assert.True(Squares(next.Load) < Squares(prev.Load),
                    $"moves [{string.Join("; ", prev.Moves)}] after round {prev.Round} left the loads at [{string.Join(',', next.Load)}]");
            else if (prev.Moves.Count == 0)
                Assert.Equal(prev.Load, next.Load);
        }
        Assert.Equal(result.Rounds[0].Imbalance, result.ImbalanceBefore);
        Assert.Equal(result.Rounds[^1].Imbalance, result.ImbalanceAfter);
    }

    private static double Squares(IReadOnlyList<ulong> loads) => loads.Aggregate(0.0, (s, x) => s + (double)x * x);

    [Fact]
    public void Json_gives_the_tables_figures_and_they_add_up()
    {
        Kernel.RequireBpf();
        var (exit, stdout, stderr) = CpumapInProcess.Invoke("demo", "--mode", "flow-hash", "--frames", "40000", "--flows", "16",
            "--skew", "zipf:1.5", "--buckets", "32", "--rebalance", "--rounds", "2", "--json");
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);   // nothing but the document on standard output
        var root = json.RootElement;
        Assert.Equal("flow-hash", root.GetProperty("mode").GetString());
        var sent = root.GetProperty("sent").GetUInt64();
        Assert.Equal(40_000ul, sent);
        Assert.Equal(sent, root.GetProperty("delivered").GetUInt64() + root.GetProperty("dropped").GetUInt64());
        var cpus = root.GetProperty("cpus").EnumerateArray().Select(c => c.GetInt32()).ToArray();
        Assert.Equal(CpuList.Possible.ToArray(), cpus);
        var rounds = root.GetProperty("rounds").EnumerateArray().ToArray();
        Assert.Equal(2, rounds.Length);
        var loads = cpus.Select((_, i) => rounds.Aggregate(0ul, (s, r) => s + r.GetProperty("load")[i].GetUInt64())).ToArray();
        var rows = root.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("cpu").GetInt32());
        for (var i = 0; i < cpus.Length; i++)
        {
            Assert.Equal(loads[i], rows[cpus[i]].GetProperty("sentTo").GetUInt64());
            Assert.Equal((double)loads[i] / loads.Aggregate(0ul, (a, b) => a + b), rows[cpus[i]].GetProperty("share").GetDouble(), 12);
        }
        // imbalance = max share ÷ (1 / CPUs), computed here from the rows.
        Assert.Equal(loads.Max() * (double)cpus.Length / loads.Aggregate(0ul, (a, b) => a + b), root.GetProperty("imbalance").GetDouble(), 12);
        Assert.Equal(rounds[0].GetProperty("imbalance").GetDouble(), root.GetProperty("imbalanceBefore").GetDouble());
        Assert.Equal(rounds[1].GetProperty("imbalance").GetDouble(), root.GetProperty("imbalanceAfter").GetDouble());
    }

    [Fact]
    public void Text_output_shows_shares_imbalance_and_each_round()
    {
        Kernel.RequireBpf();
        var (exit, stdout, stderr) = CpumapInProcess.Invoke("demo", "--mode", "flow-hash", "--frames", "20000", "--skew", "zipf:1", "--rebalance", "--rounds", "2");
        Assert.True(exit == 0, stderr);
        Assert.Contains("64 UDP flows (zipf:1), 128 buckets, 2 rounds rebalanced between them", stdout);
        Assert.Contains("round 1: sent to CPU", stdout);
        Assert.Contains("round 2: sent to CPU", stdout);
        Assert.Matches(@"imbalance \d+\.\d\d before rebalancing \(round 1\), \d+\.\d\d after \(round 2\)", stdout);
    }

    [Theory]
    [InlineData(new[] { "--skew", "zipf:x" }, "--skew 'zipf:x' is not a skew: write zipf:S with S from 0 to 4")]
    [InlineData(new[] { "--skew", "pareto" }, "--skew 'pareto' is not a skew")]
    [InlineData(new[] { "--skew", "zipf:9" }, "--skew 'zipf:9' is not a skew")]
    [InlineData(new[] { "--flows", "0" }, "--flows 0 is not a number of flows: give 1 to 65535")]
    [InlineData(new[] { "--flows", "70000" }, "--flows 70000 is not a number of flows")]
    [InlineData(new[] { "--mode", "flow-hash", "--rebalance", "--rounds", "1" }, "--rounds 1 is not a number of rounds: give 2 to 100")]
    [InlineData(new[] { "--mode", "flow-hash", "--buckets", "3" }, "--buckets 3: 3 buckets: the indirection table needs a power of two from 1 to 4096")]
    [InlineData(new[] { "--rebalance" }, "--rebalance moves flow-hash's buckets; --mode round-robin has none")]
    [InlineData(new[] { "--buckets", "64" }, "--buckets sizes flow-hash's indirection table; --mode round-robin has none")]
    public void Bad_traffic_and_table_options_are_refused_naming_them(string[] args, string expected)
    {
        Kernel.RequireBpf();
        var (exit, stdout, stderr) = CpumapInProcess.Invoke(["demo", .. args]);
        Assert.Equal(1, exit);
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("cpumap demo:", stdout);
    }

    [Fact]
    public void Library_options_refuse_rebalancing_without_a_table_or_rounds()
    {
        Assert.Contains("Rebalancing moves flow-hash's buckets; round-robin has none",
            Assert.Throws<ArgumentException>(() => new DemoOptions { Rebalance = true, Rounds = 2 }.Validate()).Message);
        var flowHash = new SoftwareRssOptions { Mode = RssMode.FlowHash, Remote = RemoteAction.Drop };
        Assert.Equal("Rounds", Assert.Throws<ArgumentOutOfRangeException>(() => new DemoOptions { Rss = flowHash, Rebalance = true }.Validate()).ParamName);
        Assert.Equal("Rounds", Assert.Throws<ArgumentOutOfRangeException>(() => new DemoOptions { Rounds = 0 }.Validate()).ParamName);
        Assert.Equal("Frames", Assert.Throws<ArgumentOutOfRangeException>(() => new DemoOptions { Frames = 2, Rounds = 3 }.Validate()).ParamName);
        Assert.Equal("Buckets", Assert.Throws<ArgumentOutOfRangeException>(() => new DemoOptions { Rss = flowHash with { Buckets = 0 } }.Validate()).ParamName);
        Assert.Equal("s", Assert.Throws<ArgumentOutOfRangeException>(() => FlowSkew.Zipf(-1)).ParamName);
    }
}
