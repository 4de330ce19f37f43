using System.Globalization;
using CpuMap.Managed.Bench.Harness;
using CpuMap.Managed.Bench.Redirect;

namespace CpuMap.Managed.Bench.Report;

/// <summary>A target of issue 6 and whether this run met it.</summary>
/// <param name="Target">The target, as the issue states it.</param>
/// <param name="Subject">The row or program it was checked on.</param>
/// <param name="Measured">What this run measured.</param>
/// <param name="Met">Whether the measurement meets the target.</param>
/// <param name="Shortfall">When missed: by how much, in the unit of the target.</param>
public sealed record TargetVerdict(string Target, string Subject, string Measured, bool Met, string? Shortfall);

/// <summary>The targets, checked against one run. They are reported, never asserted in tests.</summary>
internal static class Targets
{
    internal const double MapOperationRatio = 1.05;
    internal const double CpuMapUpdateRatio = 1.02;
    internal const double LoadRatio = 0.5;
    internal const double RedirectRatio = 1.0;

    private static readonly string[] SingleElementGroups =
        ["ARRAY lookup", "PERCPU_ARRAY lookup", "HASH lookup", "CPUMAP lookup", "ARRAY update", "PERCPU_ARRAY update", "HASH update"];

    internal static IReadOnlyList<TargetVerdict> Evaluate(BenchResults results)
    {
        var verdicts = new List<TargetVerdict>();
        foreach (var group in SingleElementGroups)
            verdicts.Add(AtMost(results, group, MapOperationRatio, "managed lookup and update ≤ 1.05 × raw C"));
        verdicts.Add(AtMost(results, "CPUMAP update", CpuMapUpdateRatio, "CPUMAP update ≤ 1.02 × raw C"));
        verdicts.Add(NothingAllocated(results));
        verdicts.Add(AtMost(results, "open + load + close", LoadRatio, "open + load of the round-robin object ≤ 0.5 × libbpf"));
        if (results.Redirect is { } redirect)
        {
            var ratio = redirect.MedianRatio;
            verdicts.Add(new TargetVerdict("DSL round-robin ≥ 1.0 × clang in Mpps", "live frames, median of paired rounds",
                $"{F(redirect.MedianMpps(RedirectThroughput.Dsl))} vs {F(redirect.MedianMpps(RedirectThroughput.Clang))} Mpps: {F(ratio, 3)} ×",
                ratio >= RedirectRatio, ratio >= RedirectRatio ? null : $"{F((RedirectRatio - ratio) * 100, 1)} % short"));
            var fewer = redirect.DslInstructions <= redirect.ClangInstructions;
            verdicts.Add(new TargetVerdict("DSL round-robin: no more instructions than clang", "xlated_prog_len / 8",
                $"{redirect.DslInstructions} vs {redirect.ClangInstructions}", fewer,
                fewer ? null : $"{redirect.DslInstructions - redirect.ClangInstructions} instructions more"));
        }
        return verdicts;
    }

    private static TargetVerdict AtMost(BenchResults results, string group, double limit, string target)
    {
        var managed = results.Managed(group);
        var ratio = results.RatioOf(managed) ?? throw new InvalidOperationException($"'{group}' has no C twin to compare with.");
        var baseline = results.BaselineOf(managed)!;
        var met = ratio <= limit;
        var gapNs = managed.MedianNs - baseline.MedianNs * limit;
        var measured = $"{Format.Time(managed.MedianNs)} vs {Format.Time(baseline.MedianNs)}: {F(ratio, 3)} × interleaved" +
                       (managed.Ratio is { } rounds ? $", {F(rounds, 3)} × BenchmarkDotNet" : "");
        return new TargetVerdict(target, group, measured, met, met ? null : $"{F(ratio - limit, 3)} × over ({Format.Time(gapNs)} per call)");
    }

    private static TargetVerdict NothingAllocated(BenchResults results)
    {
        var mapRows = results.Rows.Where(r => r.IsManaged && r.Section is Sections.MapOperations or Sections.Batch or Sections.Mmap).ToArray();
        var allocating = mapRows.Where(r => r.AllocatedBytes is not 0).ToArray();
        return new TargetVerdict("0 bytes allocated per managed map operation", $"all {mapRows.Length} managed map rows",
            allocating.Length == 0 ? "0 B on every row" : string.Join("; ", allocating.Select(r => $"{r.Group} {r.Implementation}: {Format.Bytes(r.AllocatedBytes)}")),
            allocating.Length == 0, allocating.Length == 0 ? null : $"{allocating.Length} rows allocate");
    }

    private static string F(double value, int decimals = 2) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);
}
