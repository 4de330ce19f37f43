using CpuMap.Managed.Programs;
using Spectre.Console;
using CpuMap.Managed.Programs.Tracing;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>The extended statistics as tables, for <c>cpumap stats --extended</c> and the end of <c>cpumap demo</c>.</summary>
internal static class ExtendedStatsTables
{
    /// <summary>The enqueue pairs, the kernel threads and the errors over <paramref name="interval"/>.</summary>
    public static IEnumerable<Table> For(string title, ExtendedInterval interval)
    {
        var counts = interval.Counts;
        var pairs = ObjectConsole.Table($"{title}: enqueue from->to (xdp_cpumap_enqueue), {interval.Duration.TotalSeconds:F2} s",
            "from->to", "packets", "packets/s", "drops", "drops/s", "avg bulk");
        var any = false;
        for (var from = 0; from < counts.Pairs.Count; from++)
            for (var to = 0; to < counts.Pairs[from].Count; to++)
            {
                var pair = counts.Pairs[from][to];
                if (pair.Bulks == 0)
                    continue;
                any = true;
                pairs.AddTextRow($"{from}->{to}", pair.Processed.ToString(), RssConsole.Rate(interval.PerSecond(pair.Processed)),
                    pair.Drops.ToString(), RssConsole.Rate(interval.PerSecond(pair.Drops)), $"{pair.AverageBulk:F1}");
            }
        if (!any)
            pairs.AddTextRow("(none)", "0", "0", "0", "0", "-");
        yield return pairs;

        var actions = counts.CountsRemoteActions;
        var kthreads = ObjectConsole.Table($"{title}: remote CPU kernel threads (xdp_cpumap_kthread)",
            "CPU", "packets", "packets/s", "drops", "sched", "xdp_pass", "xdp_drop", "xdp_redirect");
        foreach (var cpu in Syscalls.CpuList.Possible)
        {
            var k = counts.Kthread[cpu];
            kthreads.AddTextRow(cpu.ToString(), k.Processed.ToString(), RssConsole.Rate(interval.PerSecond(k.Processed)), k.Drops.ToString(), k.Sched.ToString(),
                actions ? k.Pass.ToString() : "n/a", actions ? k.Drop.ToString() : "n/a", actions ? k.Redirect.ToString() : "n/a");
        }
        yield return kthreads;

        var errors = ObjectConsole.Table($"{title}: XDP program errors",
            "CPU", "redirect errors (xdp_redirect_err)", "exceptions (xdp_exception)");
        foreach (var cpu in Syscalls.CpuList.Possible)
            errors.AddTextRow(cpu.ToString(), counts.Errors?[cpu].RedirectErrors.ToString() ?? "n/a", counts.Errors?[cpu].Exceptions.ToString() ?? "n/a");
        yield return errors;
    }
}
