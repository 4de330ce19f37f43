using System.Text.RegularExpressions;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>`cpumap demo`, in-process, and <see cref="SoftwareRssDemo"/> from code.</summary>
public sealed partial class DemoTests(ITestOutputHelper output)
{
    /// <summary>Each mode over each of <see cref="CpuSets"/>.</summary>
    public static TheoryData<string, int[]> ModesOverCpuSets()
    {
        var data = new TheoryData<string, int[]>();
        foreach (var mode in new[] { "round-robin", "flow-hash" })
        foreach (var cpus in CpuSets())
            data.Add(mode, cpus.Data);
        return data;
    }

    [Theory]
    [MemberData(nameof(ModesOverCpuSets))]
    public void Demo_prints_a_table_whose_deliveries_add_up_and_leaves_nothing_behind(string mode, int[] cpus)
    {
        Kernel.RequireBpf();
        var before = Leftovers.Now();

        var (exit, stdout, stderr) = CpumapInProcess.Invoke("demo", "--mode", mode, "--cpus", string.Join(',', cpus), "--frames", "200000");
        output.WriteLine(stdout + stderr);

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Contains($"cpumap demo: {mode} over CPUs {CpuList.Parse(string.Join(',', cpus))}", stdout);
        var sum = SumLine().Match(stdout);
        Assert.True(sum.Success, "no 'sent = delivered + dropped' line");
        var (sent, delivered, dropped) = (ulong.Parse(sum.Groups[1].Value), ulong.Parse(sum.Groups[2].Value), ulong.Parse(sum.Groups[3].Value));
        Assert.Equal(200000ul, sent);
        Assert.Equal(sent, delivered + dropped);
        // The drops it infers are the ones the kernel counted at the full queues.
        Assert.Matches($@"full queues {dropped}; the kernel's xdp_cpumap_enqueue counted {dropped}\)", stdout);
        // The table's per-CPU deliveries add up to the total it reports.
        var rows = RenderedTable.Rows(stdout).Where(IsPerCpuRow).Select(r => (Cpu: int.Parse(r[0]), Delivered: ulong.Parse(r[4]))).ToArray();
        // One row per CPU that sent or delivered; only the CPUs asked for deliver anything.
        Assert.Equal(rows.Length, rows.Select(r => r.Cpu).Distinct().Count());
        Assert.All(rows, r => Assert.Contains(r.Cpu, CpuList.Possible));
        Assert.Equal(delivered, rows.Aggregate(0ul, (a, b) => a + b.Delivered));
        Assert.All(rows.Where(r => !cpus.Contains(r.Cpu)), r => Assert.Equal(0ul, r.Delivered));
        // Round-robin gives every CPU its turn, so each one asked for delivers (flow-hash's spread is FlowBound's, below).
        if (mode == "round-robin")
            Assert.All(cpus, cpu => Assert.Contains(rows, r => r.Cpu == cpu && r.Delivered > 0));
        Assert.Contains("Mpps", stdout);
        Leftovers.Now().AssertNothingAddedSince(before);
    }

    /// <summary>Every non-empty subset of the possible CPUs when there are at most three (here {0}, {1}, {0,1}), else one, two and all.</summary>
    public static TheoryData<int[]> CpuSets()
    {
        var possible = CpuList.Possible.ToArray();
        var data = new TheoryData<int[]>();
        if (possible.Length <= 3)
        {
            for (var mask = 1; mask < 1 << possible.Length; mask++)
                data.Add(possible.Where((_, i) => (mask & 1 << i) != 0).ToArray());
        }
        else
        {
            data.Add([possible[0]]);
            data.Add([possible[0], possible[1]]);
            data.Add(possible);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CpuSets))]
    public void Flow_hash_demo_from_code_spreads_many_flows_and_accounts_for_every_frame(int[] cpus)
    {
        Kernel.RequireBpf();
        // Every configured CPU must deliver: with a fair hash a CPU gets none of F flows with
        // probability (1 - 1/n)^F, so the plan picks F for a failure below 1e-6 (21 flows on 2 CPUs).
        var plan = FlowBound.AtLeast(cpus.Length, 1);
        var result = SoftwareRssDemo.Run(new DemoOptions
        {
            Rss = new SoftwareRssOptions { Mode = RssMode.FlowHash, Cpus = cpus, Qsize = 16384, Remote = RemoteAction.Drop },
            Flows = plan.Flows,
            Frames = (ulong)plan.Flows * 512,
        }, cancellation: TestContext.Current.CancellationToken);

        output.WriteLine(plan.ToString());
        output.WriteLine(string.Join(Environment.NewLine, result.Rows));
        Assert.Equal((ulong)plan.Flows * 512, result.Sent);
        Assert.Equal(result.Sent, result.Delivered + result.Dropped);
        Assert.Equal(0ul, result.RedirectErrors);
        Assert.Equal(result.QueueDrops, result.KernelQueueDrops);
        Assert.False(result.Cancelled);
        Assert.All(result.Rows.Where(row => row.Delivered > 0), row => Assert.Contains(row.Cpu, cpus));
        foreach (var cpu in cpus)
            Assert.True(result.Rows.Any(row => row.Cpu == cpu && row.Delivered > 0),
                $"CPU {cpu} delivered nothing; {plan}: [{string.Join("; ", result.Rows)}]");
    }

    [Fact]
    public void Demo_cancelled_mid_way_reports_what_it_sent_and_cleans_up()
    {
        Kernel.RequireBpf();
        var before = Leftovers.Now();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var result = SoftwareRssDemo.Run(new DemoOptions { Frames = 100_000_000 },
            new CancelAfterFirst(cancel), cancel.Token);

        Assert.True(result.Cancelled);
        Assert.InRange(result.Sent, 1ul, 100_000_000ul - 1);
        Assert.Equal(result.Sent, result.Delivered + result.Dropped);
        Leftovers.Now().AssertNothingAddedSince(before);
    }

    [Theory]
    [InlineData("--frames", "0", "--frames 0 is not a frame count")]
    [InlineData("--frames", "-5", "--frames -5 is not a frame count")]
    [InlineData("--frames", "lots", "--frames lots is not a frame count")]
    [InlineData("--remote", "tx", "--remote tx is not a remote program here: use pass, drop or redirect")]
    [InlineData("--remote", "x.o:prog", "--remote x.o:prog is not a remote program here")]
    [InlineData("--mode", "hash", "--mode hash is not a redirect mode: use round-robin")]
    [InlineData("--qsize", "16385", "--qsize 16385: A qsize of 16385 is above the kernel's limit")]
    [InlineData("--cpus", "4096", "--cpus 4096: CPU 4096 is not a possible CPU")]
    public void Demo_refuses_bad_options_naming_them(string option, string value, string message)
    {
        var (exit, stdout, stderr) = CpumapInProcess.Invoke("demo", option, value);
        Assert.Equal(1, exit);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("cpumap demo:", stdout);
    }

    [Fact]
    public void Demo_options_are_checked_in_the_library_too()
    {
        Assert.Contains("1 to 10,000,000,000 frames", Assert.Throws<ArgumentOutOfRangeException>(() => new DemoOptions { Frames = 0 }.Validate()).Message);
        Assert.Contains("1 to 65535 UDP flows", Assert.Throws<ArgumentOutOfRangeException>(() => new DemoOptions { Flows = 0 }.Validate()).Message);
        Assert.Contains("must be RemoteAction.Pass, Drop or DemoOptions.RedirectOut", Assert.Throws<ArgumentException>(() =>
            new DemoOptions { Rss = new SoftwareRssOptions { Remote = new RemoteAction.UserProgram(new ObjectProgram("a.o", "b")) } }.Validate()).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DemoOptions { Drain = TimeSpan.FromSeconds(-1) }.Validate());
    }

    [Fact]
    public void Software_rss_options_are_checked_before_anything_is_created()
    {
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => new SoftwareRssOptions { Qsize = 0 }.Validate());
        Assert.Equal("Qsize", zero.ParamName);
        Assert.Contains("A qsize of 0 makes the kernel delete the entry silently", zero.Message);
        Assert.Contains("A qsize of 16385 is above the kernel's limit of 16384", Assert.Throws<ArgumentOutOfRangeException>(() => new SoftwareRssOptions { Qsize = 16385 }.Validate()).Message);
        new SoftwareRssOptions { Qsize = 16384 }.Validate();
        var impossible = Assert.Throws<ArgumentException>(() => new SoftwareRssOptions { Cpus = [4096] }.Validate());
        Assert.Equal("Cpus", impossible.ParamName);
        Assert.Contains("CPU 4096 is not a possible CPU of this machine", impossible.Message);
        Assert.Contains("CPU -1 is not a possible CPU", Assert.Throws<ArgumentException>(() => new SoftwareRssOptions { Cpus = [-1] }.Validate()).Message);
        Assert.Contains("CPU 0 appears more than once in the CPU list [0,0]", Assert.Throws<ArgumentException>(() => new SoftwareRssOptions { Cpus = [0, 0] }.Validate()).Message);
        Assert.Contains("The CPU list is empty", Assert.Throws<ArgumentException>(() => new SoftwareRssOptions { Cpus = [] }.Validate()).Message);
        Assert.Contains("-1 buckets: the indirection table needs a power of two", Assert.Throws<ArgumentOutOfRangeException>(() => new SoftwareRssOptions { Buckets = -1 }.Validate()).Message);
        var program = Assert.Throws<ArgumentException>(() => new SoftwareRssOptions { Program = new ObjectProgram("/nonexistent/r.o", "redirect") }.Validate());
        Assert.Equal(("Program", true), (program.ParamName, program.Message.Contains("The object file '/nonexistent/r.o' of program 'redirect' does not exist")));
        var remote = Assert.Throws<ArgumentException>(() => new SoftwareRssOptions { Remote = new RemoteAction.UserProgram(new ObjectProgram("/nonexistent/c.o", "count")) }.Validate());
        Assert.Equal("Remote", remote.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoftwareRssOptions { Mode = (RssMode)99 }.Validate());
        Assert.Contains("use round-robin", Assert.Throws<ArgumentException>(() => RssModes.Parse("rss")).Message);
    }

    [GeneratedRegex(@"sent (\d+) = delivered (\d+) \+ dropped (\d+)")]
    private static partial Regex SumLine();

    // A row of the per-CPU table: CPU, sent, redirected, errors, delivered, sent to, share. Told by the CPU number
    // first (the total row has a label) and the share last (the extended tables after it have rows of numbers too).
    private static bool IsPerCpuRow(string[] row) =>
        row.Length == 7 && row[0].All(char.IsAsciiDigit) && Share().IsMatch(row[6]);

    [GeneratedRegex(@"^(?:[\d.]+ %|\(not a target\))$")]
    private static partial Regex Share();

    private sealed class CancelAfterFirst(CancellationTokenSource cancel) : IProgress<DemoProgress>
    {
        public void Report(DemoProgress value) => cancel.Cancel();
    }
}
