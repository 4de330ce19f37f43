using System.Text.RegularExpressions;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Programs.Remote;
using CpuMap.Managed.Programs.Tracing;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>The demo's extended statistics: over a closed run, the kernel's tracepoint counts and the programs' own add up.</summary>
public sealed partial class DemoExtendedStatsTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(16384u)]
    [InlineData(16u)]     // shallow queues: most frames are dropped at enqueue, and the figures must still add up
    public void Sent_is_delivered_plus_dropped_by_the_kernels_counts(uint qsize)
    {
        Kernel.RequireBpf();
        var result = SoftwareRssDemo.Run(new DemoOptions
        {
            Rss = new SoftwareRssOptions { Qsize = qsize, Remote = RemoteAction.Drop },
            Frames = 100_000,
        }, cancellation: TestContext.Current.CancellationToken);
        var run = Assert.IsType<ExtendedInterval>(result.Extended).Counts;
        output.WriteLine($"{result.Sent} sent, {result.Delivered} delivered; enqueue {run.EnqueueTotal}; kthread {run.KthreadTotal}");

        // Every frame the redirect program redirected was flushed towards a remote CPU (live frames run on one CPU).
        Assert.Equal(result.Sent, run.EnqueueTotal.Processed);
        // Enqueued = taken off the queues by the kernel threads; dropped at enqueue = the demo's inferred drops.
        Assert.Equal(run.EnqueueTotal.Enqueued, run.KthreadTotal.Processed);
        Assert.Equal(result.QueueDrops, run.EnqueueTotal.Drops + run.KthreadTotal.Drops);
        Assert.Equal(result.Sent, result.Delivered + run.EnqueueTotal.Drops + run.KthreadTotal.Drops + result.RedirectErrors);
        foreach (var row in result.Rows.Where(r => CpuList.Possible.Contains(r.Cpu)))
        {
            // The remote program counted each frame, then answered XDP_DROP: the kernel's verdict count for that CPU.
            Assert.Equal(row.Delivered, run.Kthread[row.Cpu].Drop);
            Assert.Equal(row.Delivered, run.Kthread[row.Cpu].Processed - run.Kthread[row.Cpu].Drops);
        }
        Assert.InRange(run.EnqueueTotal.AverageBulk, 1.0, 8.0);   // CPU_MAP_BULK_SIZE
        Assert.Equal(new XdpErrorCounters(0, 0), run.ErrorsTotal);
    }

    [Fact]
    public void The_demo_prints_the_extended_tables_and_their_sum()
    {
        Kernel.RequireBpf();
        var (exit, stdout, stderr) = CpumapInProcess.Invoke("demo", "--frames", "100000", "--qsize", "64");
        output.WriteLine(stdout + stderr);
        Assert.Equal(0, exit);
        Assert.Contains("enqueue from->to (xdp_cpumap_enqueue)", stdout);
        Assert.Contains("remote CPU kernel threads (xdp_cpumap_kthread)", stdout);
        Assert.Contains("XDP program errors", stdout);
        Assert.Contains("redirect errors (xdp_redirect_err)", stdout);
        var sum = SumLine().Match(stdout);
        Assert.True(sum.Success, "no 'enqueued = taken off the queues' line");
        Assert.Equal(sum.Groups[1].Value, sum.Groups[2].Value);
        var delivered = DeliveredLine().Match(stdout);
        Assert.True(delivered.Success);
        // What the threads took off and did not drop is what the remote programs delivered.
        Assert.Equal(ulong.Parse(delivered.Groups[1].Value), ulong.Parse(sum.Groups[2].Value) - ulong.Parse(sum.Groups[3].Value));
    }

    [GeneratedRegex(@"enqueued (\d+) = taken off the queues by the remote CPUs' kernel threads (\d+) \(of which they dropped (\d+)\)")]
    private static partial Regex SumLine();

    [GeneratedRegex(@"sent \d+ = delivered (\d+) \+ dropped")]
    private static partial Regex DeliveredLine();
}
