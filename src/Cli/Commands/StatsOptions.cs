using System.CommandLine;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>The options of <c>cpumap stats</c> beyond the interval: --extended, --format and --textfile, checked at parse time.</summary>
internal static class StatsOptions
{
    public static Option<bool> Extended() => new("--extended")
    {
        Description = "Also the kernel's xdp tracepoints: each from->to CPU enqueue pair (packets/s, drops, average bulk), " +
                      "each remote CPU's kernel thread (packets/s, drops, sched, the remote program's verdicts), redirect errors and XDP exceptions",
    };

    public static Option<StatsFormat> Format() => new("--format")
    {
        Description = "table (default), json (one object per interval, one line each) or prometheus (the text exposition format)",
        HelpName = "table|json|prometheus",
        DefaultValueFactory = _ => StatsFormat.Table,
        CustomParser = result =>
        {
            var text = OptionTokens.Text(result);
            switch (text)
            {
                case "table": return StatsFormat.Table;
                case "json": return StatsFormat.Json;
                case "prometheus": return StatsFormat.Prometheus;
                default:
                    result.AddError($"--format {text} is not an output format: give table, json or prometheus, e.g. --format json.");
                    return StatsFormat.Table;
            }
        },
    };

    public static Option<string?> TextFile() => new("--textfile")
    {
        Description = "With --format prometheus: replace this file atomically each interval (for node_exporter's textfile collector, " +
                      "a *.prom file in its --collector.textfile.directory) instead of writing to standard output",
        HelpName = "PATH",
        Validators =
        {
            result =>
            {
                if (result.Tokens.Count == 0)
                    return;
                if (TextFileCheck(result.Tokens[0].Value) is { } error)
                    result.AddError(error);
            },
        },
    };

    /// <summary>--textfile goes with --format prometheus only: other formats would have nothing to write there.</summary>
    public static void RequirePrometheusForTextFile(Command command, Option<StatsFormat> format, Option<string?> textFile) =>
        command.Validators.Add(result =>
        {
            if (result.GetResult(textFile) is not null && result.GetValue(format) != StatsFormat.Prometheus)
                result.AddError($"--textfile is for --format prometheus (node_exporter's textfile collector reads that format): " +
                                $"add --format prometheus, or leave out --textfile.");
        });

    private static string? TextFileCheck(string path) => path.Length == 0 ? "--textfile needs a path, e.g. --textfile /var/lib/prometheus/node-exporter/cpumap.prom." : Commands.TextFile.Check(path);
}
