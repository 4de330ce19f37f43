using System.Diagnostics;
using System.Text.Json;
using BpfAsm;
using CpuMap.Managed.Loader;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Xdp;
using CpuMap.Managed.Testing;
using static BpfAsm.Register;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;
using CpuMap.Managed.Programs.Tracing;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>
/// `cpumap stats --format json|prometheus [--textfile]` and `--extended` on a redirect attached to a test-made veth:
/// the figures against the redirect's own maps, the Prometheus text through the Prometheus project's own parser
/// (python3-prometheus-client), and the text file replaced atomically.
/// </summary>
public sealed class StatsFormatTests(ITestOutputHelper output)
{
    private const uint Qsize = 2048;

    [Fact]
    public void Json_gives_one_object_per_interval_whose_counters_are_the_maps()
    {
        Kernel.RequireBpf();
        using var network = new TestNetwork();
        using var rss = AttachedRss(network);
        SendAndDrain(network, rss);

        var stats = network.Host.Run(() => CpumapInProcess.Invoke("stats", "--dev", network.Device, "--format", "json", "--extended", "--count", "2", "--interval", "0.1"));
        output.WriteLine(stats.Stdout + stats.Stderr);
        Assert.True(stats.Exit == 0, stats.Stderr);
        var lines = stats.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);   // nothing but the objects: no header a script would have to skip

        var maps = rss.ReadCounters();
        foreach (var line in lines)
        {
            var json = JsonDocument.Parse(line).RootElement;
            Assert.Equal(network.Device, json.GetProperty("device").GetString());
            Assert.Equal(rss.Redirect.Program.Id, json.GetProperty("prog_id").GetUInt32());
            Assert.InRange(json.GetProperty("seconds").GetDouble(), 0.05, 3600);
            var cpus = json.GetProperty("cpus").EnumerateArray().ToArray();
            Assert.Equal(CpuList.Possible.ToArray(), cpus.Select(c => c.GetProperty("cpu").GetInt32()).ToArray());
            foreach (var c in cpus)
            {
                var cpu = c.GetProperty("cpu").GetInt32();
                // No traffic after the drain: every line holds what the maps hold, and nothing moved in the interval.
                Assert.Equal(maps.Redirect[cpu].Received, c.GetProperty("rx").GetUInt64());
                Assert.Equal(maps.Redirect[cpu].Redirected, c.GetProperty("redirected").GetUInt64());
                Assert.Equal(maps.Redirect[cpu].Errors, c.GetProperty("errors").GetUInt64());
                Assert.Equal(maps.Redirect[cpu].Dropped, c.GetProperty("dropped").GetUInt64());
                Assert.Equal(maps.Delivered![cpu], c.GetProperty("delivered").GetUInt64());
                Assert.Equal(0, c.GetProperty("rx_per_second").GetDouble());
                // The kernel's tracepoint counts start with stats: none yet.
                Assert.Equal(0ul, c.GetProperty("enqueued").GetUInt64());
            }
            Assert.Equal(0, json.GetProperty("enqueue").GetArrayLength());
            Assert.Equal(CpuList.Possible.ToArray(), json.GetProperty("kthread").EnumerateArray().Select(k => k.GetProperty("cpu").GetInt32()).ToArray());
            Assert.All(json.GetProperty("xdp_errors").EnumerateArray(), e => Assert.Equal(0ul, e.GetProperty("redirect_errors").GetUInt64()));
        }
        Assert.True(maps.RedirectTotal.Received > 0, "the test's traffic reached the redirect");
    }

    [Fact]
    public void Extended_json_while_traffic_flows_adds_up_per_remote_cpu()
    {
        Kernel.RequireBpf();
        using var network = new TestNetwork();
        using var rss = AttachedRss(network);
        using var stop = new CancellationTokenSource();
        var sender = new Thread(() =>
        {
            for (ushort port = 40000; !stop.IsCancellationRequested; port++)
                network.SendUdp(port, 20);
        });
        sender.Start();
        (int Exit, string Stdout, string Stderr) stats;
        try
        {
            stats = network.Host.Run(() => CpumapInProcess.Invoke("stats", "--dev", network.Device, "--format", "json", "--extended", "--count", "3", "--interval", "0.2"));
        }
        finally
        {
            stop.Cancel();
            sender.Join();
        }
        output.WriteLine(stats.Stdout + stats.Stderr);
        Assert.True(stats.Exit == 0, stats.Stderr);
        var last = JsonDocument.Parse(stats.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        // Both counts come from the same tracepoint program: per remote CPU, the enqueue pairs' processed less their
        // drops is that CPU's "enqueued", and its drops its "queue_full".
        var pairs = last.GetProperty("enqueue").EnumerateArray().ToArray();
        Assert.NotEmpty(pairs);
        foreach (var c in last.GetProperty("cpus").EnumerateArray())
        {
            var cpu = c.GetProperty("cpu").GetInt32();
            var to = pairs.Where(p => p.GetProperty("to_cpu").GetInt32() == cpu).ToArray();
            var processed = to.Aggregate(0ul, (s, p) => s + p.GetProperty("processed").GetUInt64());
            var drops = to.Aggregate(0ul, (s, p) => s + p.GetProperty("drops").GetUInt64());
            Assert.Equal(processed - drops, c.GetProperty("enqueued").GetUInt64());
            Assert.Equal(drops, c.GetProperty("queue_full").GetUInt64());
            // A kernel thread cannot take off its queue more than was put in (the rest is in flight at the reading), give or
            // take the frames already queued when the counters were attached: at most one full queue, taken off after.
            var kthread = last.GetProperty("kthread").EnumerateArray().Single(k => k.GetProperty("cpu").GetInt32() == cpu);
            Assert.True(kthread.GetProperty("processed").GetUInt64() <= processed - drops + Qsize,
                $"CPU {cpu}: the kernel thread reported {kthread.GetProperty("processed")} frames of {processed - drops} queued (+ a queue of {Qsize} before)");
        }
        foreach (var p in pairs)
            Assert.InRange(p.GetProperty("average_bulk").GetDouble(), 1.0, 8.0);   // CPU_MAP_BULK_SIZE is 8
    }

    [Fact]
    public void Prometheus_text_parses_with_the_prometheus_parser_and_matches_the_maps()
    {
        Kernel.RequireBpf();
        var python = PrometheusParser();
        using var network = new TestNetwork();
        using var rss = AttachedRss(network);
        SendAndDrain(network, rss);

        var stats = network.Host.Run(() => CpumapInProcess.Invoke("stats", "--dev", network.Device, "--format", "prometheus", "--extended", "--count", "1", "--interval", "0.1"));
        output.WriteLine(stats.Stdout + stats.Stderr);
        Assert.True(stats.Exit == 0, stats.Stderr);
        CheckFormatRules(stats.Stdout);

        var samples = Parse(python, stats.Stdout);
        var maps = rss.ReadCounters();
        foreach (var cpu in CpuList.Possible)
        {
            var labels = $"cpu={cpu},dev={network.Device}";
            Assert.Equal(maps.Redirect[cpu].Received, samples[$"cpumap_rx_packets_total{{{labels}}}"]);
            Assert.Equal(maps.Redirect[cpu].Redirected, samples[$"cpumap_redirected_packets_total{{{labels}}}"]);
            Assert.Equal(maps.Delivered![cpu], samples[$"cpumap_delivered_packets_total{{{labels}}}"]);
            Assert.Equal(0ul, samples[$"cpumap_kthread_packets_total{{{labels}}}"]);
            Assert.Equal(0ul, samples[$"cpumap_xdp_exceptions_total{{{labels}}}"]);
        }
        Assert.True(maps.RedirectTotal.Received > 0, "the test's traffic reached the redirect");
    }

    [Fact]
    public void Textfile_is_replaced_atomically_never_seen_in_part()
    {
        Kernel.RequireBpf();
        using var network = new TestNetwork();
        using var rss = AttachedRss(network);
        using var folder = new TempDir();
        var path = Path.Combine(folder.Path, "cpumap.prom");
        const string old = "# HELP old_total before\n# TYPE old_total counter\nold_total 1\n";
        File.WriteAllText(path, old);

        (int Exit, string Stdout, string Stderr) stats = default;
        var command = new Thread(() => stats = network.Host.Run(() => CpumapInProcess.Invoke("stats", "--dev", network.Device, "--format", "prometheus",
            "--textfile", path, "--count", "40", "--interval", "0.1")));
        command.Start();
        var reads = 0;
        var seen = new HashSet<string>();
        while (command.IsAlive)
        {
            var text = File.ReadAllText(path);
            reads++;
            // Either the old file whole, or a whole exposition of cpumap's: ends with a line feed, and the last family complete.
            if (text != old)
            {
                CheckFormatRules(text);
                Assert.Contains("cpumap_delivered_packets_total", text);
            }
            seen.Add(text == old ? "old" : "new");
        }
        command.Join();
        output.WriteLine($"{reads} reads; {stats.Stdout}{stats.Stderr}");
        Assert.True(stats.Exit == 0, stats.Stderr);
        Assert.Equal("", stats.Stdout);   // the file, not standard output, gets the text
        Assert.Contains("new", seen);
        CheckFormatRules(File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder.Path));   // no temporary file left beside it
    }

    [Fact]
    public void Exceptions_are_the_aborted_frames_of_the_devices_program()
    {
        Kernel.RequireBpf();
        using var network = new TestNetwork();
        // An XDP program that counts each frame in a map, then aborts it: the kernel's xdp_exception must count as many.
        using var counts = Bpf.MapCreate(BpfMapType.PercpuArray, sizeof(uint), sizeof(ulong), 1, name: "aborted");
        var p = new ProgramBuilder("abort_all");
        p.Store(Mem.U32(R10, -4), 0).Mov(R2, R10).Add(R2, -4).LoadMapFd(R1, "aborted").Call(BpfHelper.MapLookupElem);
        p.JumpIf(R0 == 0, "out").Load(R1, Mem.U64(R0)).Add(R1, 1).Store(Mem.U64(R0), R1);
        p.Label("out").Return(XdpAction.Aborted);
        using var abort = DslProgramLoader.Load(p.Build(), "abort_all", [counts]);
        using var errors = XdpErrorCounter.Load(abort.Id).Attach();
        using (XdpAttachment.Attach(network.Device, abort, XdpMode.Native, XdpAttachMethod.Netlink, network.Host))
            network.SendUdp(40000, 30);

        var aborted = ReadPerCpuSum(counts);
        var counted = errors.ReadAll().Aggregate(default(XdpErrorCounters), (a, b) => a + b);
        Assert.True(aborted > 0, "frames reached the program");
        Assert.Equal(new XdpErrorCounters(0, aborted), counted);
    }

    [Theory]
    [InlineData(new[] { "--format", "xml" }, "--format xml is not an output format: give table, json or prometheus")]
    [InlineData(new[] { "--format", "json", "--textfile", "/tmp/x.prom" }, "--textfile is for --format prometheus")]
    [InlineData(new[] { "--textfile", "/tmp/x.prom" }, "--textfile is for --format prometheus")]
    [InlineData(new[] { "--format", "prometheus", "--textfile", "/nonexistent-cpumap-dir/x.prom" }, "the directory /nonexistent-cpumap-dir does not exist")]
    [InlineData(new[] { "--format", "prometheus", "--textfile", "/tmp" }, "--textfile /tmp is a directory")]
    [InlineData(new[] { "--format", "prometheus", "--textfile", "" }, "--textfile needs a path")]
    public void Bad_values_are_refused_naming_the_option(string[] args, string message)
    {
        var (exit, _, stderr) = CpumapInProcess.Invoke(["stats", "--dev", "lo", .. args]);
        Assert.Equal(1, exit);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public void Extended_on_a_device_without_a_redirect_says_what_to_attach()
    {
        Kernel.RequireBpf();
        using var network = new TestNetwork();
        var stats = network.Host.Run(() => CpumapInProcess.Invoke("stats", "--dev", network.Device, "--extended", "--count", "1"));
        Assert.Equal(1, stats.Exit);
        Assert.Contains($"cpumap stats: {network.Device} has no XDP program, so there are no CPUMAP statistics to extend: " +
                        $"attach a redirect first with 'cpumap attach --dev {network.Device}'.", stats.Stderr);
    }

    /// <summary>
    /// l4-filter drops UDP to port 9 on purpose: stats shows those frames as dropped, apart from errors, so that on every
    /// CPU rx = redirected + errors + dropped, and the dropped count is the datagrams the test sent there.
    /// </summary>
    [Fact]
    public void Frames_a_mode_drops_on_purpose_are_their_own_column()
    {
        Kernel.RequireBpf();
        using var network = new TestNetwork();
        using var rss = AttachedRss(network, RssMode.L4Filter);
        network.SendUdp(41000, 10, destinationPort: 9);
        network.SendUdp(41001, 5, destinationPort: 5000);
        Eventually.True(() => { var c = rss.ReadCounters(); return c.RedirectTotal.Dropped == 10 && c.DeliveredTotal == c.RedirectTotal.Redirected; },
            "the ten datagrams to port 9 dropped and every other frame delivered");

        var stats = network.Host.Run(() => CpumapInProcess.Invoke("stats", "--dev", network.Device, "--format", "json", "--count", "1", "--interval", "0.1"));
        output.WriteLine(stats.Stdout + stats.Stderr);
        Assert.True(stats.Exit == 0, stats.Stderr);
        var cpus = JsonDocument.Parse(stats.Stdout).RootElement.GetProperty("cpus").EnumerateArray().ToArray();
        Assert.Equal(10ul, cpus.Aggregate(0ul, (sum, c) => sum + c.GetProperty("dropped").GetUInt64()));
        Assert.All(cpus, c => Assert.Equal(c.GetProperty("rx").GetUInt64(),
            c.GetProperty("redirected").GetUInt64() + c.GetProperty("errors").GetUInt64() + c.GetProperty("dropped").GetUInt64()));

        var table = network.Host.Run(() => CpumapInProcess.Invoke("stats", "--dev", network.Device, "--count", "1", "--interval", "0.1"));
        Assert.True(table.Exit == 0, table.Stderr);
        Assert.Contains("dropped", table.Stdout);
    }

    private static SoftwareRss AttachedRss(TestNetwork network, RssMode mode = RssMode.FlowHash)
    {
        var rss = SoftwareRss.Load(new SoftwareRssOptions { Mode = mode, Qsize = Qsize, Remote = RemoteAction.Pass });
        try
        {
            rss.Attach(network.Device, XdpMode.Native, network.Host);
            return rss;
        }
        catch
        {
            rss.Dispose();
            throw;
        }
    }

    /// <summary>Sends datagrams and waits until every frame the redirect handed on has been delivered.</summary>
    private static void SendAndDrain(TestNetwork network, SoftwareRss rss)
    {
        for (ushort port = 41000; port < 41010; port++)
            network.SendUdp(port, 10);
        Eventually.True(() => { var c = rss.ReadCounters(); return c.DeliveredTotal == c.RedirectTotal.Redirected && c.RedirectTotal.Received > 0; },
            "every redirected frame delivered");
    }

    private static ulong ReadPerCpuSum(MapFd map)
    {
        var buffer = new byte[map.ValueBufferSize];
        Assert.True(Bpf.MapLookupElem(map, BitConverter.GetBytes(0u), buffer));
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(buffer).ToArray().Aggregate(0ul, (a, b) => a + b);
    }

    /// <summary>The format's rules, strictly: each family's # HELP then # TYPE counter, its samples after, counters end in _total.</summary>
    private static void CheckFormatRules(string text)
    {
        Assert.EndsWith("\n", text);
        string? family = null;
        var types = 0;
        foreach (var line in text[..^1].Split('\n'))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                family = line.Split(' ')[2];
                Assert.Matches("^cpumap_[a-z_]+_total$", family);
                continue;
            }
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                Assert.Equal($"# TYPE {family} counter", line);
                types++;
                continue;
            }
            Assert.NotNull(family);
            Assert.Matches($@"^{family}\{{dev=""[^""]+"",(cpu=""\d+""|from_cpu=""\d+"",to_cpu=""\d+"")(,action=""(pass|drop|redirect)"")?\}} \d+$", line);
        }
        Assert.True(types > 0, "no metric family");
    }

    private static string PrometheusParser()
    {
        const string python = "/usr/bin/python3";
        var (exit, _, error) = Shell.Try(python, "-c", "import prometheus_client.parser");
        if (exit != 0)
            Kernel.Unavailable($"python3-prometheus-client is not installed (scripts/install-deps.sh installs it): {error.Trim()}");
        return python;
    }

    /// <summary>Every sample as the Prometheus client library's parser reads it, keyed "name{label=value,...}" (labels sorted).</summary>
    private static Dictionary<string, ulong> Parse(string python, string text)
    {
        using var folder = new TempDir();
        var file = Path.Combine(folder.Path, "metrics.prom");
        File.WriteAllText(file, text);
        const string script = """
            import sys
            from prometheus_client.parser import text_string_to_metric_families
            for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                assert family.type == "counter", family
                for s in family.samples:
                    if s.name.endswith("_created"):
                        continue
                    labels = ",".join(f"{k}={v}" for k, v in sorted(s.labels.items()))
                    print(f"{s.name}{{{labels}}} {int(s.value)}")
            """;
        var parsed = Shell.Run(python, "-c", script, file);
        return parsed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')).ToDictionary(f => f[0], f => ulong.Parse(f[1]));
    }
}
