using System.Net;
using System.Text.Json;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Xdp;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Bytecode;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;
using CpuMap.Managed.Programs.Traffic;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>
/// `cpumap rss show/set` on a flow-hash redirect attached to a test-made veth: the table read back with bpftool, and
/// live frames through the attached program counted on the CPU they reached.
/// </summary>
public sealed class RssCommandTests
{
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.10"), B = IPAddress.Parse("198.51.100.20");

    private sealed class Attached : IDisposable
    {
        public Attached(int buckets = RssIndirectionTable.DefaultBuckets, int[]? cpus = null)
        {
            Network = new TestNetwork();
            Rss = SoftwareRss.Load(new SoftwareRssOptions
            {
                Mode = RssMode.FlowHash, Buckets = buckets, Cpus = cpus, Remote = RemoteAction.Drop, Qsize = 4096,
            });
            Rss.Attach(Network.Device, XdpMode.Native, Network.Host);
        }

        public TestNetwork Network { get; }

        public SoftwareRss Rss { get; }

        public RssIndirectionTable Table => ((FlowHashRedirect)Rss.Redirect).Table!;

        public (int Exit, string Stdout, string Stderr) Cpumap(params string[] args) => Network.Host.Run(() => CpumapInProcess.Invoke(args));

        /// <summary>Sends copies of one UDP flow through the attached program; returns the one CPU they were delivered on.</summary>
        public int Send(ushort sourcePort, uint copies = 8)
        {
            var before = Rss.ReadDelivered();
            LiveFrames.Send(Rss.Redirect.Program, EthernetFrame.Ip(A, sourcePort, B, 53), copies);
            var total = before.Aggregate(0ul, (s, x) => s + x) + copies;
            Eventually.True(() => Rss.ReadDelivered().Aggregate(0ul, (s, x) => s + x) >= total, $"{copies} frames of port {sourcePort} delivered");
            var after = Rss.ReadDelivered();
            var landed = Enumerable.Range(0, after.Count).Where(c => after[c] != before[c]).ToArray();
            Assert.True(landed.Length == 1 && after[landed[0]] - before[landed[0]] == copies,
                $"one flow's {copies} frames should land on one CPU: [{string.Join(',', before)}] -> [{string.Join(',', after)}]");
            return landed[0];
        }

        public void Dispose()
        {
            Rss.Dispose();
            Network.Dispose();
        }
    }

    /// <summary>The table as bpftool (libbpf) dumps the map: bucket → CPU, from the value's little-endian bytes.</summary>
    private static int[] BpftoolTable(MapFd table)
    {
        using var dump = JsonDocument.Parse(Shell.Run("bpftool", "map", "dump", "id", table.Id.ToString(), "-j"));
        var cpus = new int[table.MaxEntries];
        foreach (var entry in dump.RootElement.EnumerateArray())
        {
            static int Bytes(JsonElement e) => e.EnumerateArray().Select((b, i) => Convert.ToInt32(b.GetString(), 16) << (8 * i)).Sum();
            cpus[Bytes(entry.GetProperty("key"))] = Bytes(entry.GetProperty("value"));
        }
        return cpus;
    }

    [Fact]
    public void Show_prints_each_bucket_its_cpu_and_frames_as_the_kernel_holds_them()
    {
        Kernel.RequireBpf();
        using var attached = new Attached(buckets: 16);
        var port = (ushort)40000;
        var cpu = attached.Send(port, 8);
        var cpus = CpuList.Possible.ToArray();

        var (exit, stdout, stderr) = attached.Cpumap("rss", "show", "--dev", attached.Network.Device, "--json");
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(attached.Network.Device, root.GetProperty("device").GetString());
        Assert.Equal(16, root.GetProperty("buckets").GetInt32());
        Assert.Equal(8ul, root.GetProperty("packets").GetUInt64());
        var rows = root.GetProperty("table").EnumerateArray().ToArray();
        Assert.Equal(BpftoolTable(attached.Table.Table), rows.Select(r => r.GetProperty("cpu").GetInt32()));
        // bucket b on cpus[b % n], as Configure spreads it; the 8 frames all in one bucket, on the CPU they were delivered to.
        Assert.Equal(Enumerable.Range(0, 16).Select(b => cpus[b % cpus.Length]), rows.Select(r => r.GetProperty("cpu").GetInt32()));
        var counted = Assert.Single(rows, r => r.GetProperty("packets").GetUInt64() != 0);
        Assert.Equal(8ul, counted.GetProperty("packets").GetUInt64());
        Assert.Equal(cpu, counted.GetProperty("cpu").GetInt32());
        Assert.Equal(cpus, root.GetProperty("cpus").EnumerateArray().Select(c => c.GetProperty("cpu").GetInt32()));
        Assert.Equal((double)cpus.Length, root.GetProperty("imbalance").GetDouble());   // everything on one CPU

        var text = attached.Cpumap("rss", "show", "--dev", attached.Network.Device);
        Assert.True(text.Exit == 0, text.Stderr);
        Assert.Contains($"RX flow hash indirection table for {attached.Network.Device} with 16 buckets, 8 frames counted", text.Stdout);
        Assert.Contains($"imbalance {cpus.Length:F2}", text.Stdout);
    }

    [Fact]
    public void Set_moves_a_bucket_and_its_flow_follows()
    {
        Kernel.RequireBpf();
        using var attached = new Attached();
        for (ushort port = 41000; port < 41004; port++)
        {
            attached.Send(port);
            var bucket = Array.FindIndex(attached.Table.ReadPackets(), p => p != 0);
            foreach (var target in CpuList.Possible.Reverse())
            {
                var (exit, stdout, stderr) = attached.Cpumap("rss", "set", "--dev", attached.Network.Device, "--bucket", bucket.ToString(), "--cpu", target.ToString());
                Assert.True(exit == 0, stderr);
                Assert.Contains($"bucket {bucket} moved from CPU", stdout);
                Assert.Equal(target, BpftoolTable(attached.Table.Table)[bucket]);
                Assert.Equal(target, attached.Send(port));
            }
            // Clear the counters' meaning for the next port: the next flow's bucket is the one that grows.
            PerCpuClear(attached.Table);
        }
    }

    private static void PerCpuClear(RssIndirectionTable table)
    {
        var zero = new byte[table.BucketPackets.ValueBufferSize];
        for (var b = 0u; b < table.Buckets; b++)
            Bpf.MapUpdateElem(table.BucketPackets, BitConverter.GetBytes(b), zero);
    }

    [Fact]
    public void Set_weights_spreads_buckets_in_proportion()
    {
        Kernel.RequireBpf();
        var cpus = CpuList.Possible.ToArray();
        using var attached = new Attached();
        // 3 for the first CPU, 1 for each other: with n CPUs the first gets 128 × 3 / (n + 2) buckets, to within one.
        var weights = string.Join(',', cpus.Select((c, i) => i == 0 ? $"{c}:3" : $"{c}"));
        var (exit, stdout, stderr) = attached.Cpumap("rss", "set", "--dev", attached.Network.Device, "--weights", weights);
        Assert.True(exit == 0, stderr);
        var table = BpftoolTable(attached.Table.Table);
        var share = 128.0 * 3 / (cpus.Length + 2);
        Assert.InRange(table.Count(c => c == cpus[0]), Math.Floor(share), Math.Ceiling(share));
        Assert.Contains($"CPU {cpus[0]} {table.Count(c => c == cpus[0])}", stdout);
        Assert.All(table, c => Assert.Contains(c, cpus));
    }

    [Theory]
    [InlineData(new[] { "--bucket", "128", "--cpu", "0" }, "--bucket 128: Bucket 128 is not in the indirection table: it has buckets 0 to 127")]
    [InlineData(new[] { "--bucket", "-1", "--cpu", "0" }, "--bucket -1 is not a bucket number")]
    [InlineData(new[] { "--bucket", "x", "--cpu", "0" }, "--bucket x is not a bucket number")]
    [InlineData(new[] { "--bucket", "0", "--cpu", "255" }, "--cpu 255: CPU 255 has no CPUMAP entry")]
    [InlineData(new[] { "--bucket", "0" }, "--bucket needs --cpu: give both")]
    [InlineData(new[] { "--cpu", "0" }, "--cpu needs --bucket: give both")]
    [InlineData(new string[0], "Nothing to set: give --bucket B --cpu C")]
    [InlineData(new[] { "--weights", "0:1", "--bucket", "1", "--cpu", "0" }, "not both")]
    [InlineData(new[] { "--weights", "0:x" }, "--weights 0:x: '0:x' in the weights '0:x' has no weight from 0 to 65536")]
    [InlineData(new[] { "--weights", "0:0" }, "Every weight is 0")]
    [InlineData(new[] { "--weights", "255:1" }, "--weights: CPU 255 has no CPUMAP entry")]
    public void Bad_values_are_refused_naming_the_option_and_change_nothing(string[] args, string expected)
    {
        Kernel.RequireBpf();
        using var attached = new Attached();
        var before = BpftoolTable(attached.Table.Table);
        var (exit, _, stderr) = attached.Cpumap(["rss", "set", "--dev", attached.Network.Device, .. args]);
        Assert.Equal(1, exit);
        Assert.Contains(expected, stderr);
        Assert.Equal(before, BpftoolTable(attached.Table.Table));
    }

    [Fact]
    public void A_device_without_a_table_is_named_with_the_fix()
    {
        Kernel.RequireBpf();
        using var network = new TestNetwork();
        var nothing = network.Host.Run(() => CpumapInProcess.Invoke("rss", "show", "--dev", network.Device));
        Assert.Equal(1, nothing.Exit);
        Assert.Contains($"cpumap rss show: {network.Device} has no XDP program: attach the flow-hash redirect with 'cpumap attach --dev {network.Device} --mode flow-hash'", nothing.Stderr);

        using var roundRobin = SoftwareRss.Load(new SoftwareRssOptions { Mode = RssMode.RoundRobin });
        roundRobin.Attach(network.Device, XdpMode.Native, network.Host);
        var noTable = network.Host.Run(() => CpumapInProcess.Invoke("rss", "set", "--dev", network.Device, "--bucket", "0", "--cpu", "0"));
        Assert.Equal(1, noTable.Exit);
        Assert.Contains($"has XDP program '{RoundRobinProgram.Name[..15]}' (id {roundRobin.Redirect.Program.Id}), which has no indirection table", noTable.Stderr);

        var missing = network.Host.Run(() => CpumapInProcess.Invoke("rss", "show", "--dev", network.Device + "zz"));
        Assert.Equal(1, missing.Exit);
        Assert.Contains($"No network device is named '{network.Device}zz'", missing.Stderr);
    }

    [Theory]
    [InlineData("0", "--buckets 0: 0 buckets: the indirection table needs a power of two from 1 to 4096")]
    [InlineData("100", "--buckets 100: 100 buckets")]
    [InlineData("8192", "--buckets 8192: 8192 buckets")]
    [InlineData("many", "--buckets many is not a number of buckets")]
    public void Attach_refuses_bad_bucket_counts_before_touching_the_kernel(string buckets, string expected)
    {
        var (exit, _, stderr) = CpumapInProcess.Invoke("attach", "--dev", "lo", "--mode", "flow-hash", "--buckets", buckets);
        Assert.Equal(1, exit);
        Assert.Contains(expected, stderr);
    }

    [Fact]
    public void Attach_refuses_table_options_without_flow_hash_and_rebalance_with_pin()
    {
        Kernel.RequireBpf();
        var buckets = CpumapInProcess.Invoke("attach", "--dev", "lo", "--buckets", "64");
        Assert.Equal(1, buckets.Exit);
        Assert.Contains("--buckets sizes flow-hash's indirection table; --mode round-robin has none. Add --mode flow-hash.", buckets.Stderr);
        var rebalance = CpumapInProcess.Invoke("attach", "--dev", "lo", "--rebalance");
        Assert.Contains("--rebalance moves flow-hash's buckets; --mode round-robin has none", rebalance.Stderr);
        var pinned = CpumapInProcess.Invoke("attach", "--dev", "lo", "--mode", "flow-hash", "--rebalance", "--pin", "/sys/fs/bpf/never");
        Assert.Contains("--rebalance runs its agent in this process, and --pin exits", pinned.Stderr);
        Assert.False(Directory.Exists("/sys/fs/bpf/never"));
    }
}
