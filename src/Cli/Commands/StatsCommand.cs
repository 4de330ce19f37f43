using System.CommandLine;
using System.Globalization;
using CpuMap.Managed.Programs;
using Spectre.Console;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Tracing;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>
/// <c>cpumap stats --dev IF [--interval S] [--count N] [--extended] [--format table|json|prometheus] [--textfile PATH]</c>:
/// a live per-CPU table of cpumap's redirect on
/// IF, as xdp-bench shows: per second, frames received and redirected by the redirect program on each
/// CPU, its errors and deliberate drops, and frames delivered on each remote CPU. It reads the redirect's own maps, found
/// from the device's program (<see cref="AttachedRedirect"/>), pinned or not. On a terminal the table
/// updates in place; otherwise one table per interval. Runs until Ctrl-C or N intervals. --extended adds
/// <see cref="ExtendedStats"/>; --format json and prometheus write <see cref="StatsJson"/> and <see cref="StatsPrometheus"/>.
/// </summary>
internal sealed class StatsCommand : Command
{
    public Option<string> Dev { get; } = RssOptions.Dev(required: true);

    /// <summary>--interval S: seconds between readings.</summary>
    public Option<double> Interval { get; } = new("--interval")
    {
        Description = "Seconds between readings, 0.1 to 3600 (default 1)",
        HelpName = "S",
        DefaultValueFactory = _ => 1.0,
        CustomParser = result =>
        {
            var text = OptionTokens.Text(result);
            if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value is < 0.1 or > 3600)
                result.AddError($"--interval {text} is not an interval: give 0.1 to 3600 seconds, e.g. --interval 1.");
            return value;
        },
    };

    /// <summary>--count N: stop after N intervals (0: until Ctrl-C).</summary>
    public Option<int> Count { get; } = new("--count")
    {
        Description = "Stop after N intervals (default 0: until Ctrl-C)",
        HelpName = "N",
        CustomParser = result =>
        {
            var text = OptionTokens.Text(result);
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                result.AddError($"--count {text} is not a count: give 0 (until Ctrl-C) or a number of intervals, e.g. --count 5.");
            return value;
        },
    };

    /// <summary>--extended: the kernel's xdp tracepoints too.</summary>
    public Option<bool> Extended { get; } = StatsOptions.Extended();

    /// <summary>--format table|json|prometheus.</summary>
    public Option<StatsFormat> Format { get; } = StatsOptions.Format();

    /// <summary>--textfile PATH: where --format prometheus writes, atomically.</summary>
    public Option<string?> TextFile { get; } = StatsOptions.TextFile();

    public StatsCommand() : base("stats", "Live per-CPU rates of cpumap's redirect on a device: received, redirected, errors, dropped on purpose, delivered; " +
                                          "--extended adds the kernel's xdp tracepoints; as tables, JSON lines or Prometheus text (needs CAP_SYS_ADMIN)")
    {
        Options.Add(Dev);
        Options.Add(Interval);
        Options.Add(Count);
        Options.Add(Extended);
        Options.Add(Format);
        Options.Add(TextFile);
        StatsOptions.RequirePrometheusForTextFile(this, Format, TextFile);
        SetAction(parse => RssConsole.Run(parse, "stats", cancel => Run(parse, cancel)));
    }

    private int Run(ParseResult parse, CancellationToken cancel)
    {
        var device = parse.GetValue(Dev)!;
        var interval = TimeSpan.FromSeconds(parse.GetValue(Interval));
        var count = parse.GetValue(Count);
        var format = parse.GetValue(Format);
        var textFile = parse.GetValue(TextFile);
        using var attached = AttachedRedirect.Open(device);
        // --extended cannot do without its tracepoints: a refusal is the command's error, not a column of n/a. Its enqueue
        // pairs give the per-CPU enqueue columns too, from the same read.
        using var extended = parse.GetValue(Extended) ? attached.CountExtended() : null;
        try
        {
            if (extended is null)
                attached.CountEnqueues();
        }
        catch (Syscalls.BpfException)
        {
            // No xdp:xdp_cpumap_enqueue here (or no raw tracepoint links): the drops column says n/a.
        }
        var previous = attached.ReadCounters();
        var previousExtended = extended?.Read();
        StatsReading Next()
        {
            var now = attached.ReadCounters();
            var extendedNow = extended?.Read();
            var reading = new StatsReading(device, attached, now, now.Since(previous), extendedNow, extendedNow?.Since(previousExtended!));
            previous = now;
            previousExtended = extendedNow;
            return reading;
        }
        var output = parse.InvocationConfiguration.Output;
        if (format != StatsFormat.Table)
        {
            for (var i = 0; (count == 0 || i < count) && !cancel.WaitHandle.WaitOne(interval); i++)
            {
                var reading = Next();
                if (format == StatsFormat.Json)
                    StatsJson.Write(output, reading);
                else if (textFile is null)
                    output.Write(StatsPrometheus.Format(reading));
                else
                    Commands.TextFile.Replace(textFile, StatsPrometheus.Format(reading));
            }
            return 0;
        }
        output.WriteLine($"cpumap stats: {attached}, every {interval.TotalSeconds:G} s; Ctrl-C stops");
        if (ObjectConsole.IsTerminal(parse))
        {
            AnsiConsole.Live(new Table()).Start(live =>
            {
                for (var i = 0; (count == 0 || i < count) && !cancel.WaitHandle.WaitOne(interval); i++)
                    live.UpdateTarget(new Rows(Tables(Next())));
            });
            return 0;
        }
        var console = ObjectConsole.For(parse);
        for (var i = 0; (count == 0 || i < count) && !cancel.WaitHandle.WaitOne(interval); i++)
            foreach (var table in Tables(Next()))
                console.Write(table);
        return 0;
    }

    private static IEnumerable<Table> Tables(StatsReading reading)
    {
        yield return Table(reading);
        if (reading.ExtendedInterval is { } extended)
            foreach (var table in ExtendedStatsTables.For(reading.Device, extended))
                yield return table;
    }

    private static Table Table(StatsReading reading)
    {
        var (device, interval) = (reading.Device, reading.Interval);
        var table = ObjectConsole.Table($"{device}, per second over {interval.Duration.TotalSeconds:F2} s", "CPU", "rx", "redirected", "errors", "dropped", "enqueued", "queue full", "delivered");
        var total = default(RedirectCounters);
        ulong delivered = 0;
        var enqueued = default(EnqueueCounters);
        for (var cpu = 0; cpu < interval.Redirect.Count; cpu++)
        {
            var c = interval.Redirect[cpu];
            var d = interval.Delivered?[cpu] ?? 0;
            var e = reading.EnqueueCounted(cpu) ?? default;
            total += c;
            delivered += d;
            enqueued += e;
            if (c.Received == 0 && d == 0 && !Syscalls.CpuList.Possible.Contains(cpu))
                continue;
            table.AddTextRow(cpu.ToString(), Counted(interval, c.Received), Counted(interval, c.Redirected),
                Counted(interval, c.Errors), Counted(interval, c.Dropped), Enqueue(reading, e.Processed - e.Drops), Enqueue(reading, e.Drops),
                interval.Delivered is null ? "n/a" : RssConsole.Rate(interval.PerSecond(d)));
        }
        table.AddTextRow("total", Counted(interval, total.Received), Counted(interval, total.Redirected),
            Counted(interval, total.Errors), Counted(interval, total.Dropped), Enqueue(reading, enqueued.Processed - enqueued.Drops), Enqueue(reading, enqueued.Drops),
            interval.Delivered is null ? "n/a" : RssConsole.Rate(interval.PerSecond(delivered)));
        return table;
    }

    // A user's own redirect program counts nothing of this project's: rx, redirected, errors and dropped are unknown, not 0.
    private static string Counted(RedirectInterval interval, ulong count) => interval.RedirectCounted ? RssConsole.Rate(interval.PerSecond(count)) : "n/a";

    private static string Enqueue(StatsReading reading, ulong count) => reading.HasEnqueue ? RssConsole.Rate(reading.Interval.PerSecond(count)) : "n/a";
}
