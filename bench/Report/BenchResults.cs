using System.Text.Json;
using CpuMap.Managed.Bench.Harness;
using CpuMap.Managed.Bench.Redirect;

namespace CpuMap.Managed.Bench.Report;

/// <summary>
/// Everything one run measured, saved as JSON beside BenchmarkDotNet's artifacts so that the
/// report can be written again (after a change to its wording) without measuring again.
/// </summary>
public sealed record BenchResults(
    MachineFacts Machine, bool Quick, int Rounds, IReadOnlyList<MeasuredRow> Rows, RedirectResult? Redirect, LoadProfile? Load, CallProfile? Calls,
    IReadOnlyList<TwinComparison>? Twins = null, FlowHashResult? FlowHash = null, TpBtfLoad? TpBtfLoad = null)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    internal void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Options));
    }

    internal static BenchResults Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"No results at '{path}'; run the benchmarks first (scripts/bench), which writes them there.", path);
        return JsonSerializer.Deserialize<BenchResults>(File.ReadAllText(path), Options)
            ?? throw new InvalidDataException($"'{path}' holds no results; run the benchmarks again to rewrite it.");
    }

    /// <summary>The C twin of <paramref name="row"/>'s group, or null if the group has none.</summary>
    internal MeasuredRow? BaselineOf(MeasuredRow row) => Rows.FirstOrDefault(r => r.Group == row.Group && r.IsBaseline);

    /// <summary>
    /// <paramref name="row"/>'s time over its C twin's, as the verdicts and the chart use it: the
    /// interleaved ratio where there is one (it cannot drift between the two measurements), else the
    /// median of the rounds' ratios; null without a twin.
    /// </summary>
    internal double? RatioOf(MeasuredRow row) => row.InterleavedRatio ?? row.Ratio;

    /// <summary>Each round's ratio of <paramref name="row"/> to its C twin, in the order of the rounds.</summary>
    internal IReadOnlyList<double> RoundRatiosOf(MeasuredRow row)
        => BaselineOf(row) is { } baseline && !row.IsBaseline
            ? row.RoundMediansNs.Zip(baseline.RoundMediansNs, (mine, twin) => mine / twin).ToArray()
            : [];

    internal MeasuredRow Managed(string group)
        => Rows.FirstOrDefault(r => r.Group == group && r.IsManaged && !r.IsBaseline)
           ?? throw new InvalidOperationException($"The results have no managed row for '{group}'; run the whole suite (no --filter) before writing the report.");
}
