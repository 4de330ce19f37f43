using System.Globalization;
using CpuMap.Managed.Bench.Harness;
using CpuMap.Managed.Bench.Redirect;

namespace CpuMap.Managed.Bench.Report;

/// <summary>What one run says about a target.</summary>
public enum Verdict
{
    /// <summary>Every measure (each round's ratio and the interleaved ratio) is within the target.</summary>
    Met,

    /// <summary>The measures disagree: some within the target, some not. The spread is shown.</summary>
    WithinNoise,

    /// <summary>Every measure misses the target.</summary>
    Missed,
}

/// <summary>A target of issue 6 and what this run says about it.</summary>
/// <param name="Target">The target, as the issue states it.</param>
/// <param name="Subject">The row or program it was checked on.</param>
/// <param name="Measured">What this run measured.</param>
/// <param name="Verdict">Met only when every measure meets it; within noise when they straddle it.</param>
/// <param name="Shortfall">When not met: by how much, always in the interleaved ratio and the time it stands for.</param>
public sealed record TargetVerdict(string Target, string Subject, string Measured, Verdict Verdict, string? Shortfall)
{
    public bool Met => Verdict == Verdict.Met;

    /// <summary>The verdict as the report prints it.</summary>
    public string Text => Verdict switch
    {
        Verdict.Met => "met",
        Verdict.WithinNoise => $"within noise: {Shortfall}",
        _ => $"**missed**: {Shortfall}",
    };
}

/// <summary>The issue's targets, checked against one run. They are reported, never asserted in tests.</summary>
internal static class Targets
{
    internal const double MapOperationRatio = 1.05;
    internal const double CpuMapUpdateRatio = 1.02;
    internal const double LoadRatio = 0.5;
    internal const double RedirectRatio = 1.0;
    internal const double TpBtfTimeRatio = 0.5;
    internal const double TpBtfMemoryRatio = 1.0;
    internal const string TpBtfSubject = "tracing.o, whole process vs bpftool prog loadall";

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
            verdicts.Add(Throughput("DSL round-robin ≥ 1.0 × clang in Mpps", redirect.RoundRatios, redirect.MedianRatio,
                $"{F(redirect.MedianMpps(RedirectThroughput.Dsl))} vs {F(redirect.MedianMpps(RedirectThroughput.Clang))} Mpps"));
            verdicts.Add(Instructions(redirect));
        }
        if (results.FlowHash is { } flowHash)
        {
            var (dsl, clang) = (FlowHashThroughput.DslTable, FlowHashThroughput.ClangTable);
            verdicts.Add(Throughput("DSL flow-hash ≥ 1.0 × clang in Mpps", flowHash.RoundRatios(dsl, clang), flowHash.MedianRatio(dsl, clang),
                $"{F(flowHash.MedianMpps(dsl))} vs {F(flowHash.MedianMpps(clang))} Mpps, both with the indirection table"));
        }
        if (results.TpBtfLoad is { Skipped: null } tpBtf)
            verdicts.AddRange(TpBtf(tpBtf));
        return verdicts;
    }

    /// <summary>
    /// Time: every round's ratio of medians and the overall median ratio must be within the target. Memory: the ratio of
    /// the median peak resident sets (one measure: maxrss hardly varies from run to run).
    /// </summary>
    internal static IEnumerable<TargetVerdict> TpBtf(TpBtfLoad tpBtf)
    {
        var measures = tpBtf.RoundTimeRatios.Append(tpBtf.TimeRatio).ToArray();
        var (verdict, within) = Judge(measures, r => r <= TpBtfTimeRatio);
        yield return new TargetVerdict($"tp_btf load ≤ {F(TpBtfTimeRatio, 1)} × bpftool's time (issue 11)", TpBtfSubject,
            $"{F(tpBtf.CpumapMs, 1)} ms vs {F(tpBtf.BpftoolMs, 1)} ms: {F(tpBtf.TimeRatio, 3)} ×, rounds {string.Join(", ", tpBtf.RoundTimeRatios.Select(r => F(r, 3)))}",
            verdict, verdict switch
            {
                Verdict.Met => null,
                Verdict.WithinNoise => $"{within} of {measures.Length} measures within {F(TpBtfTimeRatio, 1)} × (spread {F(measures.Min(), 3)}–{F(measures.Max(), 3)} ×)",
                _ => $"{F(tpBtf.TimeRatio, 3)} × is {F(tpBtf.TimeRatio - TpBtfTimeRatio, 3)} × over ({F(tpBtf.CpumapMs - TpBtfTimeRatio * tpBtf.BpftoolMs, 1)} ms)",
            });
        var memoryMet = tpBtf.MemoryRatio <= TpBtfMemoryRatio;
        yield return new TargetVerdict($"tp_btf load ≤ {F(TpBtfMemoryRatio, 1)} × bpftool's peak memory (issue 11)", TpBtfSubject,
            $"{F(tpBtf.CpumapKib / 1024, 1)} MiB vs {F(tpBtf.BpftoolKib / 1024, 1)} MiB: {F(tpBtf.MemoryRatio, 3)} ×",
            memoryMet ? Verdict.Met : Verdict.Missed,
            memoryMet ? null : $"{F((tpBtf.CpumapKib - tpBtf.BpftoolKib) / 1024, 1)} MiB more");
    }

    private static TargetVerdict AtMost(BenchResults results, string group, double limit, string target)
    {
        var managed = results.Managed(group);
        var baseline = results.BaselineOf(managed) ?? throw new InvalidOperationException($"'{group}' has no C twin to compare with.");
        // Each round's ratio (the twins ran back to back in the round) and the interleaved ratio: the
        // target is met only when all of them are within it, missed only when none is.
        var rounds = managed.RoundMediansNs.Zip(baseline.RoundMediansNs, (m, c) => m / c).ToArray();
        var interleaved = managed.InterleavedRatio;
        var measures = interleaved is { } i ? [.. rounds, i] : rounds;
        if (measures.Length == 0)
            throw new InvalidOperationException($"'{group}' has no ratio to its C twin.");
        var (verdict, within) = Judge(measures, r => r <= limit);
        var spread = $"rounds {string.Join(", ", rounds.Select(r => F(r, 3)))}";
        var measured = $"{Format.Time(managed.MedianNs)} vs {Format.Time(baseline.MedianNs)}: " +
                       (interleaved is { } x ? $"{F(x, 3)} × interleaved, " : "") + spread;
        // One measure for the shortfall: the interleaved ratio (else the rounds' median), over the limit,
        // and the time that excess stands for at the C twin's median.
        var ratio = interleaved ?? Statistics.Median(rounds);
        var excess = ratio - limit;
        var shortfall = verdict == Verdict.Met ? null
            : verdict == Verdict.WithinNoise
                ? $"{within} of {measures.Length} measures within {F(limit)} × (spread {F(measures.Min(), 3)}–{F(measures.Max(), 3)} ×)"
                : $"{F(ratio, 3)} × is {F(excess, 3)} × over {F(limit)} × ({Format.Time(excess * baseline.MedianNs)} per call)";
        return new TargetVerdict(target, group, measured, verdict, shortfall);
    }

    /// <summary>
    /// Each round's DSL ÷ clang Mpps (the two ran back to back) and the median of those ratios: met when
    /// every one reaches the target, missed when none does.
    /// </summary>
    private static TargetVerdict Throughput(string target, IReadOnlyList<double> rounds, double median, string rates)
    {
        var measures = rounds.Append(median).ToArray();
        var (verdict, within) = Judge(measures, r => r >= RedirectRatio);
        var shortfall = verdict switch
        {
            Verdict.Met => null,
            Verdict.WithinNoise => $"{within} of {measures.Length} measures reach {F(RedirectRatio)} × (spread {F(measures.Min(), 3)}–{F(measures.Max(), 3)} ×)",
            _ => $"the median ratio {F(median, 3)} × is {F((RedirectRatio - median) * 100, 1)} % short",
        };
        return new TargetVerdict(target, "live frames, paired rounds",
            $"{rates}: median {F(median, 3)} ×, rounds {string.Join(", ", rounds.Select(r => F(r, 3)))}", verdict, shortfall);
    }

    /// <summary>
    /// Two counts of the same programs: the instruction slots as built (the DSL's output against the
    /// object file's) and what the verifier kept (xlated_prog_len / 8, after its rewrites).
    /// </summary>
    private static TargetVerdict Instructions(RedirectResult redirect)
    {
        double[] measures = [(double)redirect.DslInstructions / redirect.ClangInstructions, (double)redirect.DslSlots / redirect.ClangSlots];
        var (verdict, within) = Judge(measures, r => r <= 1.0);
        var shortfall = verdict switch
        {
            Verdict.Met => null,
            Verdict.WithinNoise => $"{within} of 2 counts are no more than clang's",
            _ => $"{redirect.DslInstructions - redirect.ClangInstructions} translated instructions more",
        };
        return new TargetVerdict("DSL round-robin: no more instructions than clang", "translated (xlated_prog_len / 8) and as built",
            $"translated {redirect.DslInstructions} vs {redirect.ClangInstructions}, as built {redirect.DslSlots} vs {redirect.ClangSlots}",
            verdict, shortfall);
    }

    /// <summary>Met when every measure is within the target, missed when none is, within noise between.</summary>
    private static (Verdict Verdict, int Within) Judge(IReadOnlyCollection<double> measures, Func<double, bool> isWithin)
    {
        var within = measures.Count(isWithin);
        return (within == measures.Count ? Verdict.Met : within == 0 ? Verdict.Missed : Verdict.WithinNoise, within);
    }

    private static TargetVerdict NothingAllocated(BenchResults results)
    {
        var mapRows = results.Rows.Where(r => r.IsManaged && r.Section is Sections.MapOperations or Sections.Batch or Sections.Mmap).ToArray();
        var allocating = mapRows.Where(r => r.AllocatedBytes is not 0).ToArray();
        return new TargetVerdict("0 bytes allocated per managed map operation", $"all {mapRows.Length} managed map rows",
            allocating.Length == 0 ? "0 B on every row" : string.Join("; ", allocating.Select(r => $"{r.Group} {r.Implementation}: {Format.Bytes(r.AllocatedBytes)}")),
            allocating.Length == 0 ? Verdict.Met : Verdict.Missed, allocating.Length == 0 ? null : $"{allocating.Length} rows allocate");
    }

    private static string F(double value, int decimals = 2) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);
}
