using System.Globalization;
using System.Text;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Programs.Tracing;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>
/// <c>cpumap stats --format prometheus</c>: the counters in Prometheus's text exposition format (version 0.0.4), each
/// family with # HELP and # TYPE counter, named <c>cpumap_..._total</c> and labelled by <c>dev</c> and <c>cpu</c> (or
/// <c>from_cpu</c> and <c>to_cpu</c>). Counters are the values now: frames since the program was loaded, and for the
/// kernel's tracepoint counts, since stats started (a restart is a counter reset, which Prometheus's rate() handles).
/// A counter this redirect does not have is left out, not written as 0.
/// </summary>
internal static class StatsPrometheus
{
    public static string Format(StatsReading reading)
    {
        var text = new StringBuilder();
        var now = reading.Now;
        var cpus = reading.Cpus.ToArray();
        var dev = reading.Device;
        if (now.RedirectCounted)
        {
            PerCpu(text, "cpumap_rx_packets_total", "Frames the redirect program ran on, by the CPU they came in on.",
                dev, cpus, cpu => now.Redirect[cpu].Received);
            PerCpu(text, "cpumap_redirected_packets_total", "Frames the redirect program handed to the CPUMAP (XDP_REDIRECT), by the CPU they came in on.",
                dev, cpus, cpu => now.Redirect[cpu].Redirected);
            PerCpu(text, "cpumap_redirect_program_errors_total", "Frames the redirect program could not place (XDP_ABORTED), by the CPU they came in on.",
                dev, cpus, cpu => now.Redirect[cpu].Errors);
            PerCpu(text, "cpumap_redirect_program_dropped_total", "Frames the redirect program's mode dropped on purpose (XDP_DROP: l4-filter's UDP port 9, touch's 802.3 frames), by the CPU they came in on.",
                dev, cpus, cpu => now.Redirect[cpu].Dropped);
        }
        if (reading.HasEnqueue)
        {
            PerCpu(text, "cpumap_enqueued_packets_total", "Frames the kernel queued for a remote CPU (xdp:xdp_cpumap_enqueue), by remote CPU, since stats started.",
                dev, cpus, cpu => reading.EnqueueNow(cpu)!.Value.Enqueued);
            PerCpu(text, "cpumap_queue_full_drops_total", "Frames dropped because a remote CPU's queue was full (xdp:xdp_cpumap_enqueue), by remote CPU, since stats started.",
                dev, cpus, cpu => reading.EnqueueNow(cpu)!.Value.Drops);
        }
        if (now.Delivered is { } delivered)
            PerCpu(text, "cpumap_delivered_packets_total", "Frames the counting remote program saw, by the remote CPU it ran on.",
                dev, cpus, cpu => delivered[cpu]);
        if (reading.ExtendedNow is { } extended)
            WriteExtended(text, dev, extended);
        return text.ToString();
    }

    private static void WriteExtended(StringBuilder text, string dev, ExtendedSnapshot now)
    {
        var pairs = new List<(string Labels, EnqueueCounters Counters)>();
        for (var from = 0; from < now.Pairs.Count; from++)
            for (var to = 0; to < now.Pairs[from].Count; to++)
                if (now.Pairs[from][to].Bulks != 0)
                    pairs.Add(($"dev=\"{Escape(dev)}\",from_cpu=\"{from}\",to_cpu=\"{to}\"", now.Pairs[from][to]));
        Family(text, "cpumap_enqueue_packets_total", "Frames flushed from one CPU towards a remote CPU's queue, queued or dropped (xdp:xdp_cpumap_enqueue).",
            pairs.Select(p => (p.Labels, p.Counters.Processed)));
        Family(text, "cpumap_enqueue_drops_total", "Of those, frames dropped because the remote CPU's queue was full (xdp:xdp_cpumap_enqueue).",
            pairs.Select(p => (p.Labels, p.Counters.Drops)));
        Family(text, "cpumap_enqueue_bulks_total", "Bulk flushes from one CPU towards a remote CPU; packets / bulks is the average bulk size (xdp:xdp_cpumap_enqueue).",
            pairs.Select(p => (p.Labels, p.Counters.Bulks)));
        var cpus = Syscalls.CpuList.Possible.ToArray();
        PerCpu(text, "cpumap_kthread_packets_total", "Frames a remote CPU's CPUMAP kernel thread took off its queue (xdp:xdp_cpumap_kthread).",
            dev, cpus, cpu => now.Kthread[cpu].Processed);
        PerCpu(text, "cpumap_kthread_drops_total", "Frames a remote CPU's kernel thread dropped itself (xdp:xdp_cpumap_kthread).",
            dev, cpus, cpu => now.Kthread[cpu].Drops);
        PerCpu(text, "cpumap_kthread_sched_total", "Times a remote CPU's kernel thread slept or yielded the CPU (xdp:xdp_cpumap_kthread).",
            dev, cpus, cpu => now.Kthread[cpu].Sched);
        if (now.CountsRemoteActions)
            Family(text, "cpumap_kthread_xdp_actions_total", "The remote program's verdicts on a remote CPU, by action (xdp:xdp_cpumap_kthread).",
                cpus.SelectMany(cpu => new[]
                {
                    ($"{Cpu(dev, cpu)},action=\"pass\"", now.Kthread[cpu].Pass),
                    ($"{Cpu(dev, cpu)},action=\"drop\"", now.Kthread[cpu].Drop),
                    ($"{Cpu(dev, cpu)},action=\"redirect\"", now.Kthread[cpu].Redirect),
                }));
        if (now.Errors is { } errors)
        {
            PerCpu(text, "cpumap_xdp_redirect_errors_total", "Failed redirects of the device's XDP program, by CPU (xdp:xdp_redirect_err).",
                dev, cpus, cpu => errors[cpu].RedirectErrors);
            PerCpu(text, "cpumap_xdp_exceptions_total", "XDP_ABORTED or invalid actions of the device's XDP program, by CPU (xdp:xdp_exception).",
                dev, cpus, cpu => errors[cpu].Exceptions);
        }
    }

    private static string Cpu(string dev, int cpu) => $"dev=\"{Escape(dev)}\",cpu=\"{cpu}\"";

    /// <summary>A family with one sample per CPU, labelled by the device and the CPU.</summary>
    private static void PerCpu(StringBuilder text, string name, string help, string dev, int[] cpus, Func<int, ulong> value)
        => Family(text, name, help, cpus.Select(cpu => (Cpu(dev, cpu), value(cpu))));

    private static void Family(StringBuilder text, string name, string help, IEnumerable<(string Labels, ulong Value)> samples)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\").Replace("\n", "\\n")).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" counter\n");
        foreach (var (labels, value) in samples)
            text.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    /// <summary>A label value as the format wants it: backslash, double quote and line feed escaped.</summary>
    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
