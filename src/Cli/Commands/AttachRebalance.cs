using CpuMap.Managed.Programs;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Tracing;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>`attach --rebalance`: the <see cref="BucketRebalancer"/> agent in the foreground, logging each step, until Ctrl-C.</summary>
internal static class AttachRebalance
{
    public static void Run(SoftwareRss rss, TimeSpan interval, TextWriter output, CancellationToken cancel)
    {
        var table = (rss.Redirect as FlowHashRedirect)?.Table
            ?? throw new InvalidOperationException($"--rebalance needs the flow-hash redirect's indirection table; {rss.Redirect} has none.");
        using var enqueue = CpuMapEnqueueCounter.TryAttach(rss.Redirect.CpuMap);
        output.WriteLine($"rebalancing {table.Buckets} buckets every {interval.TotalSeconds:G} s" +
                         (enqueue is null ? " (queue-full drops not counted: no xdp:xdp_cpumap_enqueue tracepoint here)" : ", queue-full drops counted"));
        output.Flush();
        new BucketRebalancer(table, enqueue).Run(interval, step => RebalanceLog.Write(output, step), cancel);
    }
}
