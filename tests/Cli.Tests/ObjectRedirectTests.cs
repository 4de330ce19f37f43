using CpuMap.Managed.Loader;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Xdp;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;
using CpuMap.Managed.Programs.Tracing;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>
/// A user's own redirect program (the project's C fixtures in xdp-bench's and the seed's conventions) run as the
/// redirect, with real UDP packets over a veth of the test's own, counted by the remote program on each CPU.
/// </summary>
public sealed class ObjectRedirectTests(ITestOutputHelper output)
{
    private static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "clang19", name + ".o");

    [Theory]
    [InlineData("xdp_bench_cpumap", "cpumap_round_robin")] // cpus_count map; nr_cpus the possible-CPU bound; maps at 0 sized here
    [InlineData("round_robin", "xdp_redir_cpu_round_robin")] // the seed: the count in global nr_cpus
    public void A_users_round_robin_program_spreads_real_packets_over_the_cpus(string fixture, string program)
    {
        Kernel.RequireBpf();
        var cpus = CpuList.Possible.ToArray();
        using var network = new TestNetwork();
        using var rss = SoftwareRss.Load(new SoftwareRssOptions { Program = new ObjectProgram(FixturePath(fixture), program), Cpus = cpus, Qsize = 4096 });
        Assert.IsType<ObjectRedirect>(rss.Redirect);
        Assert.Equal($"program {fixture}.o:{program}", rss.Redirect.ToString());
        rss.Attach(network.Device, XdpMode.Native, network.Host);
        Assert.Equal(rss.Redirect.Program.Id, XdpAttachment.Query(network.Device, network.Host).ProgId);

        network.SendUdp(40000, 1); // ARP first
        var before = WaitForTotal(rss, 1);
        const int packets = 400;
        network.SendUdp(40001, packets);
        var after = WaitForTotal(rss, before.Sum() + packets);
        var delivered = cpus.Select(cpu => after[cpu] - before[cpu]).ToArray();
        output.WriteLine($"delivered per CPU: {string.Join(", ", cpus.Zip(delivered, (c, d) => $"CPU {c}: {d}"))}");
        var total = delivered.Sum();
        Assert.InRange(total, (ulong)packets, (ulong)packets + 2); // an ARP probe may go through too
        // Round robin on each receiving CPU: every CPU gets its share, give or take one per CPU that ran the program.
        var share = (ulong)(packets / cpus.Length);
        Assert.All(delivered, d => Assert.InRange(d, share - (ulong)cpus.Length, share + (ulong)cpus.Length + 2));
    }

    [Fact]
    public void Status_and_stats_read_a_users_program_from_its_cpumap_and_the_kernels_enqueue_counts()
    {
        Kernel.RequireBpf();
        var cpus = CpuList.Possible.ToArray();
        using var network = new TestNetwork();
        using var rss = AttachXdpBenchRoundRobin(network, cpus);

        using var attached = AttachedRedirect.Open(network.Device, network.Host);
        Assert.True(attached.HasCpuMap);
        Assert.False(attached.IsSoftwareRss); // not this project's program: detach leaves it alone
        Assert.Equal(cpus, attached.Entries.Select(e => e.Cpu));
        Assert.All(attached.Entries, e => Assert.Equal((1024u, rss.RemoteProgram.Id), (e.Qsize, e.RemoteProgId)));
        attached.CountEnqueues();

        network.SendUdp(40000, 1);
        var before = WaitForTotal(rss, 1);
        var start = attached.ReadCounters();
        const int packets = 200;
        network.SendUdp(40001, packets);
        WaitForTotal(rss, before.Sum() + packets);
        var interval = attached.ReadCounters().Since(start);
        Assert.False(interval.RedirectCounted);
        Assert.All(interval.Redirect, c => Assert.Equal(default, c));
        var enqueued = interval.Enqueue!.Aggregate(0ul, (a, e) => a + e.Processed);
        var delivered = interval.Delivered!.Sum();
        Assert.InRange(delivered, (ulong)packets, (ulong)packets + 2);
        Assert.Equal(delivered, enqueued); // the kernel's count of what entered the queues, none dropped at 1024
    }

    [Fact]
    public void Extended_statistics_hold_for_a_users_program_too()
    {
        Kernel.RequireBpf();
        var cpus = CpuList.Possible.ToArray();
        using var network = new TestNetwork();
        using var rss = AttachXdpBenchRoundRobin(network, cpus);
        using var attached = AttachedRedirect.Open(network.Device, network.Host);
        using var extended = attached.CountExtended();
        Assert.Equal(attached.Device.Xdp.ProgId, extended.Errors!.ProgramId);   // the user's program's errors, not the machine's

        network.SendUdp(40000, 1);
        var before = WaitForTotal(rss, 1);
        var start = extended.Read();
        const int packets = 200;
        network.SendUdp(40001, packets);
        WaitForTotal(rss, before.Sum() + packets);
        // A late ARP frame may still be on its way: compare once the kernel's reports and the remote program's own
        // count are read with nothing in flight between them.
        ExtendedSnapshot run = null!;
        ulong[] delivered = [];
        Eventually.True(() =>
        {
            run = extended.Read().Since(start).Counts;
            var now = rss.ReadDelivered();
            delivered = cpus.Select(cpu => now[cpu] - before[cpu]).ToArray();
            return run.KthreadTotal.Processed == run.EnqueueTotal.Enqueued && (ulong)delivered.Sum(d => (long)d) == run.KthreadTotal.Processed;
        }, "the remote CPUs' kernel threads reported every queued frame, and the remote program saw each");
        Assert.InRange(run.EnqueueTotal.Enqueued, (ulong)packets, (ulong)packets + 2);
        for (var i = 0; i < cpus.Length; i++)
        {
            // The counting remote program (XDP_PASS) saw what each kernel thread took off its queue, and the kernel
            // counted each of those frames as passed.
            var cpu = cpus[i];
            Assert.Equal(delivered[i], run.Kthread[cpu].Processed);
            Assert.Equal(delivered[i], run.Kthread[cpu].Pass);
            Assert.Equal(run.EnqueuedTo(cpu).Enqueued, run.Kthread[cpu].Processed);
        }
        Assert.Equal(0ul, run.EnqueueTotal.Drops);   // 1024 deep, far from full
        Assert.Equal(new XdpErrorCounters(0, 0), run.ErrorsTotal);
    }

    [Fact]
    public void The_maps_are_filled_by_the_convention()
    {
        Kernel.RequireBpf();
        var cpus = new[] { CpuList.Possible[^1] };
        using var redirect = ObjectRedirect.Load(FixturePath("xdp_bench_cpumap"), "cpumap_no_touch", cpus);
        redirect.Configure(cpus, 512);
        Assert.Equal(MapSpec.PossibleCpus, Bpf.ObjGetInfoByFd(redirect.CpuMap.Fd).MaxEntries); // left at 0 by the object
        Assert.Equal((uint)cpus[0], Lookup(redirect.CpusAvailable, 0));
        Assert.Equal(1u, Lookup(redirect.NrCpus!, 0)); // cpus_count
        Assert.Equal(512u, redirect.CpuMap.Get(cpus[0])!.Value.Qsize);
        // The frame goes to the one CPU configured.
        Assert.Equal(XdpAction.Redirect, Bpf.ProgTestRun(redirect.Program, new byte[64]).XdpAction);
    }

    [Fact]
    public void A_count_in_read_only_data_keeps_the_number_of_cpus_it_was_loaded_with()
    {
        Kernel.RequireBpf();
        var cpus = new[] { CpuList.Possible[0] };
        using var redirect = ObjectRedirect.Load(FixturePath("round_robin"), "xdp_redir_cpu_round_robin", cpus);
        Assert.Null(redirect.NrCpus);
        redirect.Configure(cpus);
        if (CpuList.Possible.Count > 1)
        {
            var e = Assert.Throws<BpfOperationException>(() => redirect.Configure([.. CpuList.Possible]));
            Assert.Contains("holds its CPU count in read-only global data, loaded as 1", e.Message);
        }
    }

    [Theory]
    [InlineData("round_robin", "xdp_cpumap_count", "does not make it a device XDP program")]
    [InlineData("round_robin", "nope", "the object has no program 'nope'; its programs are: xdp_redir_cpu_round_robin, xdp_cpumap_count")]
    [InlineData("multi_prog", "xdp_pass_first", "it has no BPF_MAP_TYPE_CPUMAP map")]
    public void An_object_outside_the_convention_is_refused_saying_what_was_expected(string fixture, string program, string message)
    {
        var e = Assert.Throws<BpfLoadException>(() => ObjectRedirect.Load(FixturePath(fixture), program, [0]));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Wrong_names_are_refused_with_the_option_that_names_the_right_map()
    {
        var cpuMap = Assert.Throws<BpfLoadException>(() => ObjectRedirect.Load(FixturePath("xdp_bench_cpumap"), "cpumap_no_touch", [0], cpuMapName: "rx_cnt"));
        Assert.Contains("not the CPUMAP frames are redirected into. Name the right one with cpuMapName (SoftwareRssOptions.CpuMapName)", cpuMap.Message);
        var available = Assert.Throws<BpfLoadException>(() => ObjectRedirect.Load(FixturePath("xdp_bench_cpumap"), "cpumap_no_touch", [0], cpusAvailableName: "cpus"));
        Assert.Contains("it has no map 'cpus', the array of CPUs to send to", available.Message);
        Assert.Contains("Name the right one with cpusAvailableName (SoftwareRssOptions.CpusAvailableName)", available.Message);
        // The tool reports the same refusal with its own flag.
        Kernel.RequireBpf();
        var (exit, _, stderr) = CpumapInProcess.Invoke("attach", "--dev", "lo", "--program", $"{FixturePath("xdp_bench_cpumap")}:cpumap_no_touch", "--cpus-available", "cpus");
        Assert.Equal(1, exit);
        Assert.Contains("it has no map 'cpus', the array of CPUs to send to", stderr);
        Assert.Contains("Name the right one with --cpus-available NAME", stderr);
    }

    [Theory]
    [InlineData("--program", "nofile.o:prog", "--program nofile.o:prog: The object file 'nofile.o' of program 'prog' does not exist")]
    [InlineData("--program", "noprogram", "does not name a program in an object file: write FILE.o:PROGRAM")]
    [InlineData("--pin", "/sys/fs/bpf/cpumap-never", "--pin keeps only this project's redirect programs")]
    public void Attach_refuses_a_bad_program_option(string option, string value, string message)
    {
        string[] args = option == "--pin"
            ? ["attach", "--dev", "lo", "--program", $"{FixturePath("round_robin")}:xdp_redir_cpu_round_robin", option, value]
            : ["attach", "--dev", "lo", option, value];
        var (exit, stdout, stderr) = CpumapInProcess.Invoke(args);
        Assert.Equal(1, exit);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("attached", stdout);
    }

    /// <summary>xdp-bench's round-robin CPUMAP program from the user's object, with queues of 1024, natively on the test's device.</summary>
    private static SoftwareRss AttachXdpBenchRoundRobin(TestNetwork network, int[] cpus)
    {
        var rss = SoftwareRss.Load(new SoftwareRssOptions { Program = new ObjectProgram(FixturePath("xdp_bench_cpumap"), "cpumap_round_robin"), Cpus = cpus, Qsize = 1024 });
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

    private static uint Lookup(MapFd map, uint key)
    {
        Assert.True(Bpf.MapLookupElem(map, key, out uint value));
        return value;
    }

    /// <summary>Polls the remote programs' counts until they add up to <paramref name="total"/>, for at most 5 s.</summary>
    private static IReadOnlyList<ulong> WaitForTotal(SoftwareRss rss, ulong total)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var counts = rss.ReadDelivered();
            if (counts.Aggregate(0ul, (a, b) => a + b) >= total)
            {
                Thread.Sleep(50); // an ARP probe of the peer's may still be on its way: let the link go quiet
                return rss.ReadDelivered();
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(5))
                Assert.Fail($"only {counts.Aggregate(0ul, (a, b) => a + b)} of {total} frames were delivered within 5 s");
            Thread.Sleep(1);
        }
    }
}

file static class Sums
{
    public static ulong Sum(this IEnumerable<ulong> values) => values.Aggregate(0ul, (a, b) => a + b);
}
