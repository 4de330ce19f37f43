using System.Text.Json;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Tracing;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>
/// <c>cpumap stats --format json</c>: one JSON object per interval, on one line. Each counter appears as its value now
/// (frames since the program was loaded; for the kernel's tracepoint counts, since stats started) and, with the suffix
/// <c>_per_second</c>, its rate over the interval. A counter this redirect does not have is null, not 0.
/// </summary>
internal static class StatsJson
{
    public static void Write(TextWriter output, StatsReading reading) => JsonOutput.Write(output, json =>
    {
        var now = reading.Now;
        var interval = reading.Interval;
        json.WriteStartObject();
        json.WriteString("time", DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteString("device", reading.Device);
        json.WriteNumber("prog_id", reading.Redirect.Device.Xdp.ProgId);
        json.WriteString("prog_name", reading.Redirect.ProgName);
        json.WriteNumber("seconds", interval.Duration.TotalSeconds);
        json.WriteStartArray("cpus");
        foreach (var cpu in reading.Cpus)
        {
            json.WriteStartObject();
            json.WriteNumber("cpu", cpu);
            var counted = now.RedirectCounted;
            Counter(json, interval, "rx", counted ? now.Redirect[cpu].Received : null, interval.Redirect[cpu].Received);
            Counter(json, interval, "redirected", counted ? now.Redirect[cpu].Redirected : null, interval.Redirect[cpu].Redirected);
            Counter(json, interval, "errors", counted ? now.Redirect[cpu].Errors : null, interval.Redirect[cpu].Errors);
            Counter(json, interval, "dropped", counted ? now.Redirect[cpu].Dropped : null, interval.Redirect[cpu].Dropped);
            Counter(json, interval, "enqueued", reading.EnqueueNow(cpu)?.Enqueued, reading.EnqueueCounted(cpu)?.Enqueued ?? 0);
            Counter(json, interval, "queue_full", reading.EnqueueNow(cpu)?.Drops, reading.EnqueueCounted(cpu)?.Drops ?? 0);
            Counter(json, interval, "delivered", now.Delivered?[cpu], interval.Delivered?[cpu] ?? 0);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (reading.ExtendedNow is { } extended && reading.ExtendedInterval is { } counted2)
            WriteExtended(json, extended, counted2);
        json.WriteEndObject();
    }, indented: false);

    private static void WriteExtended(Utf8JsonWriter json, ExtendedSnapshot now, ExtendedInterval interval)
    {
        json.WriteStartArray("enqueue");
        for (var from = 0; from < now.Pairs.Count; from++)
            for (var to = 0; to < now.Pairs[from].Count; to++)
            {
                var pair = now.Pairs[from][to];
                if (pair.Bulks == 0)
                    continue;
                var delta = interval.Counts.Pairs[from][to];
                json.WriteStartObject();
                json.WriteNumber("from_cpu", from);
                json.WriteNumber("to_cpu", to);
                Counter(json, interval, "processed", pair.Processed, delta.Processed);
                Counter(json, interval, "drops", pair.Drops, delta.Drops);
                Counter(json, interval, "bulks", pair.Bulks, delta.Bulks);
                json.WriteNumber("average_bulk", delta.Bulks == 0 ? pair.AverageBulk : delta.AverageBulk);
                json.WriteEndObject();
            }
        json.WriteEndArray();
        json.WriteStartArray("kthread");
        foreach (var cpu in Syscalls.CpuList.Possible)
        {
            var k = now.Kthread[cpu];
            var d = interval.Counts.Kthread[cpu];
            json.WriteStartObject();
            json.WriteNumber("cpu", cpu);
            Counter(json, interval, "processed", k.Processed, d.Processed);
            Counter(json, interval, "drops", k.Drops, d.Drops);
            Counter(json, interval, "sched", k.Sched, d.Sched);
            var actions = now.CountsRemoteActions;
            Counter(json, interval, "xdp_pass", actions ? k.Pass : null, d.Pass);
            Counter(json, interval, "xdp_drop", actions ? k.Drop : null, d.Drop);
            Counter(json, interval, "xdp_redirect", actions ? k.Redirect : null, d.Redirect);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (now.Errors is null)
        {
            json.WriteNull("xdp_errors");
            return;
        }
        json.WriteStartArray("xdp_errors");
        foreach (var cpu in Syscalls.CpuList.Possible)
        {
            json.WriteStartObject();
            json.WriteNumber("cpu", cpu);
            Counter(json, interval, "redirect_errors", now.Errors[cpu].RedirectErrors, interval.Counts.Errors![cpu].RedirectErrors);
            Counter(json, interval, "exceptions", now.Errors[cpu].Exceptions, interval.Counts.Errors![cpu].Exceptions);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void Counter(Utf8JsonWriter json, RedirectInterval interval, string name, ulong? value, ulong delta) =>
        Counter(json, value, name, interval.PerSecond(delta));

    private static void Counter(Utf8JsonWriter json, ExtendedInterval interval, string name, ulong? value, ulong delta) =>
        Counter(json, value, name, interval.PerSecond(delta));

    private static void Counter(Utf8JsonWriter json, ulong? value, string name, double perSecond)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
            json.WriteNumber(name + "_per_second", Math.Round(perSecond, 3));
        }
        else
        {
            json.WriteNull(name);
            json.WriteNull(name + "_per_second");
        }
    }
}
