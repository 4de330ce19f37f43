using System.CommandLine;
using System.Globalization;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Programs.Redirect;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>
/// The flow-hash indirection table's options, shared by attach and demo: --buckets, --rebalance and
/// --rebalance-interval, checked at parse time like the other software-RSS options.
/// </summary>
internal static class TableOptions
{
    public static Option<int> Buckets() => new("--buckets")
    {
        Description = $"With --mode flow-hash: buckets in the indirection table between the hash and the CPUs, a power of two up to {RssIndirectionTable.MaxBuckets} " +
                      $"(default {RssIndirectionTable.DefaultBuckets}); see and move them with 'cpumap rss'",
        HelpName = "N",
        DefaultValueFactory = _ => RssIndirectionTable.DefaultBuckets,
        CustomParser = result =>
        {
            var text = OptionTokens.Text(result);
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                result.AddError($"--buckets {text} is not a number of buckets: give a power of two from 1 to {RssIndirectionTable.MaxBuckets}, e.g. --buckets 128.");
                return 0;
            }
            if (!RssIndirectionTable.IsValidBuckets(value, out var reason))
                result.AddError($"--buckets {text}: {reason}");
            return value;
        },
    };

    public static Option<bool> Rebalance() => new("--rebalance")
    {
        Description = "With --mode flow-hash: each interval, move the fewest buckets needed from the most to the least loaded CPUs " +
                      "(largest first, never a move that makes things worse; queue-full drops count as overload) and log each move",
    };

    public static Option<double> RebalanceInterval() => new("--rebalance-interval")
    {
        Description = "Seconds between rebalancing steps, 0.1 to 3600 (default 1)",
        HelpName = "S",
        DefaultValueFactory = _ => 1.0,
        CustomParser = result =>
        {
            var text = OptionTokens.Text(result);
            if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value is < 0.1 or > 3600)
                result.AddError($"--rebalance-interval {text} is not an interval: give 0.1 to 3600 seconds, e.g. --rebalance-interval 1.");
            return value;
        },
    };

    /// <summary>Refuses table options a mode cannot use, before anything is loaded.</summary>
    public static void Check(ParseResult parse, Option<RssMode> mode, Option<int> buckets, Option<bool> rebalance)
    {
        if (parse.GetValue(mode) == RssMode.FlowHash)
            return;
        if (parse.GetResult(buckets) is { Implicit: false })
            throw new ArgumentException($"--buckets sizes flow-hash's indirection table; --mode {parse.GetValue(mode).Name()} has none. Add --mode flow-hash.");
        if (parse.GetValue(rebalance))
            throw new ArgumentException($"--rebalance moves flow-hash's buckets; --mode {parse.GetValue(mode).Name()} has none. Add --mode flow-hash.");
    }
}
