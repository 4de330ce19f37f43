using System.Net;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Bytecode;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Traffic;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>
/// The flow-hash indirection table in the real kernel: live frames counted where they land (the remote counting program,
/// not the table's own counters), against what the table says and what was written into it.
/// </summary>
public sealed class RssIndirectionTableTests
{
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.10"), B = IPAddress.Parse("198.51.100.20");

    private static byte[] Flow(int i) => EthernetFrame.Ip(A, (ushort)(20000 + i), B, 443);

    /// <summary>Sends <paramref name="copies"/> of a flow and returns the one CPU they landed on and the one bucket that counted them.</summary>
    private static (int Cpu, int Bucket) Send(FlowLanding landing, byte[] frame, uint copies)
    {
        var table = landing.Redirect.Table!;
        var before = table.ReadPackets();
        var cpu = landing.Send(frame, copies);
        var after = table.ReadPackets();
        var counted = Enumerable.Range(0, after.Length).Where(b => after[b] != before[b]).ToArray();
        Assert.True(counted.Length == 1 && after[counted[0]] - before[counted[0]] == copies,
            $"{copies} copies of one flow should be counted in one bucket; buckets {string.Join(',', counted)} changed");
        return (cpu, counted[0]);
    }

    [Fact]
    public void Loads_with_a_table_of_the_asked_size_spread_round_robin_over_the_cpus()
    {
        Kernel.RequireBpf();
        foreach (var cpus in TestCpus.Subsets())
        {
            using var redirect = FlowHashRedirect.Load(buckets: 64);
            var table = redirect.Table!;
            Assert.Equal(64, table.Buckets);
            Assert.Equal((BpfMapType.Array, 64u), (table.Table.Type, table.Table.MaxEntries));
            Assert.Equal((BpfMapType.PercpuArray, 64u, 8u), (table.BucketPackets.Type, table.BucketPackets.MaxEntries, table.BucketPackets.ValueSize));
            redirect.Configure(cpus);
            var written = table.ReadCpus();
            for (var b = 0; b < written.Length; b++)
                Assert.Equal(cpus[b % cpus.Length], written[b]);
            Assert.All(table.ReadPackets(), p => Assert.Equal(0ul, p));
        }
        using var plain = FlowHashRedirect.Load(buckets: null);
        Assert.Null(plain.Table);
        Assert.DoesNotContain(plain.Instructions!.References, r => r.Name is FlowHashProgram.IndirectionTableMap or FlowHashProgram.BucketPacketsMap);
    }

    [Fact]
    public void Every_frame_lands_on_the_cpu_its_bucket_names_and_follows_the_bucket_when_it_moves()
    {
        Kernel.RequireBpf();
        foreach (var cpus in TestCpus.Subsets())
        {
            using var landing = new FlowLanding(cpus: cpus);
            var table = landing.Redirect.Table!;
            for (var i = 0; i < 8; i++)
            {
                var (cpu, bucket) = Send(landing, Flow(i), 4);
                Assert.Equal(table.ReadCpus()[bucket], cpu);
                // Point the bucket at each configured CPU in turn: the flow follows, and stays together.
                foreach (var target in cpus.Reverse())
                {
                    table.Set(bucket, target);
                    Assert.Equal((target, bucket), Send(landing, Flow(i), 4));
                }
            }
        }
    }

    [Fact]
    public void Weights_give_each_cpu_its_share_of_buckets_and_its_flows()
    {
        Kernel.RequireBpf();
        var cpus = TestCpus.TwoCpus();
        using var landing = new FlowLanding(cpus: cpus);
        var table = landing.Redirect.Table!;
        table.SetWeights([new RssWeight(cpus[0], 3), new RssWeight(cpus[1], 1)]);
        var written = table.ReadCpus();
        Assert.Equal(96, written.Count(c => c == cpus[0]));
        Assert.Equal(32, written.Count(c => c == cpus[1]));
        table.SetWeights([new RssWeight(cpus[0], 0), new RssWeight(cpus[1], 1)]);
        Assert.All(table.ReadCpus(), c => Assert.Equal(cpus[1], c));
        for (var i = 0; i < 8; i++)
            Assert.Equal(cpus[1], landing.Send(Flow(i), 2));
    }

    [Fact]
    public void Bad_buckets_and_cpus_are_refused_and_change_nothing()
    {
        Kernel.RequireBpf();
        var cpu = CpuList.Possible[0];
        using var redirect = FlowHashRedirect.Load(buckets: 16);
        redirect.Configure([cpu]);
        var table = redirect.Table!;
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => table.Set(16, cpu));
        Assert.Equal("bucket", outside.ParamName);
        Assert.Contains("Bucket 16 is not in the indirection table: it has buckets 0 to 15", outside.Message);
        Assert.Equal("bucket", Assert.Throws<ArgumentOutOfRangeException>(() => table.Set(-1, cpu)).ParamName);
        var unconfigured = CpuList.Possible[^1] + 1;
        var noEntry = Assert.Throws<ArgumentOutOfRangeException>(() => table.Set(0, unconfigured));
        Assert.Equal("cpu", noEntry.ParamName);
        Assert.Contains($"CPU {unconfigured} has no CPUMAP entry (the redirect's CPUs: {cpu})", noEntry.Message);
        Assert.Equal("weights", Assert.Throws<ArgumentOutOfRangeException>(() => table.SetWeights([new RssWeight(cpu, 1), new RssWeight(unconfigured, 1)])).ParamName);
        Assert.Throws<ArgumentException>(() => table.SetWeights([]));
        Assert.Equal("buckets", Assert.Throws<ArgumentOutOfRangeException>(() => FlowHashRedirect.Load(buckets: 100)).ParamName);
        Assert.All(table.ReadCpus(), c => Assert.Equal(cpu, c));
    }

    [Fact]
    public void Rebalancing_skewed_traffic_lowers_the_imbalance_and_moves_flows_only_with_their_buckets()
    {
        Kernel.RequireBpf();
        var cpus = CpuList.Possible.ToArray();
        if (cpus.Length < 2)
            Kernel.Unavailable($"rebalancing needs two CPUs to move load between; this machine has {CpuList.Possible}");
        using var landing = new FlowLanding(cpus: cpus);
        var table = landing.Redirect.Table!;
        // The worst skew a table can make: every bucket on one CPU. Then Zipf-weighted flows (flow i sends ∝ 1 / (i + 1)).
        table.SetWeights([new RssWeight(cpus[0], 1)]);
        const int Flows = 24;
        var copies = Enumerable.Range(0, Flows).Select(i => (uint)Math.Max(2, 480 / (i + 1))).ToArray();
        var rebalancer = new BucketRebalancer(table);

        (int Cpu, int Bucket)[] Round(out ulong[] delivered)
        {
            var before = landing.Counter.ReadCounts();
            var landed = Enumerable.Range(0, Flows).Select(i => Send(landing, Flow(i), copies[i])).ToArray();
            var after = landing.Counter.ReadCounts();
            delivered = [.. cpus.Select(c => after[c] - before[c])];
            return landed;
        }

        var first = Round(out var firstDelivered);
        var step = rebalancer.Step();
        var second = Round(out var secondDelivered);

        // The table's counters and the remote CPUs' counts agree on what the first round sent where.
        Assert.Equal(firstDelivered, step.Loads);
        Assert.Equal(cpus.Length, LoadImbalance.Of(firstDelivered));
        Assert.NotEmpty(step.Moves);
        var before = LoadImbalance.Of(firstDelivered);
        var after = LoadImbalance.Of(secondDelivered);
        Assert.True(after < before, $"imbalance {before:F3} before, {after:F3} after moving {string.Join("; ", step.Moves)}");
        // The same frames again: what the plan expected is what the remote CPUs saw.
        Assert.Equal(step.ImbalanceAfter, after, 9);
        var moved = step.Moves.ToDictionary(m => m.Bucket, m => m.To);
        for (var i = 0; i < Flows; i++)
        {
            Assert.Equal(first[i].Bucket, second[i].Bucket);
            var expected = moved.TryGetValue(first[i].Bucket, out var to) ? to : first[i].Cpu;
            Assert.True(expected == second[i].Cpu, $"flow {i} (bucket {first[i].Bucket}) moved from CPU {first[i].Cpu} to {second[i].Cpu}; expected {expected}");
        }
    }
}
