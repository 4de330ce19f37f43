using System.Reflection;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using CpuMap.Managed.Bench.Benchmarks;

namespace CpuMap.Managed.Bench.Harness;

/// <summary>
/// Runs the BenchmarkDotNet classes, each with the job it asks for, once per round, then counts
/// the managed rows' allocations, and reduces it all to rows.
/// </summary>
internal static class SuiteRunner
{
    /// <summary>The classes in the order they run and are reported, with the report section of each.</summary>
    internal static IReadOnlyList<(Type Class, string Section)> AllClasses { get; } =
    [
        (typeof(MapElemBenchmarks), Sections.MapOperations),
        (typeof(HashDeleteBenchmarks), Sections.MapOperations),
        (typeof(CpuMapBenchmarks), Sections.MapOperations),
        (typeof(MapBatchBenchmarks), Sections.Batch),
        (typeof(MmapBenchmarks), Sections.Mmap),
        (typeof(ObjectBenchmarks), Sections.Objects),
        (typeof(ElfContainerBenchmarks), Sections.Objects),
    ];

    /// <summary>A benchmark's measurement in one round.</summary>
    private sealed record RoundRow(string Section, string Group, string Implementation, string Benchmark, string? Map, bool IsBaseline, bool IsManaged, double MedianNs);

    /// <summary>Runs the classes whose name contains <paramref name="filter"/> (all for null), <paramref name="rounds"/> times over.</summary>
    internal static IReadOnlyList<MeasuredRow> Run(string? filter, bool quick, int rounds, string artifactsPath, TextWriter log)
    {
        if (rounds < 1)
            throw new ArgumentOutOfRangeException(nameof(rounds), rounds, "A run needs at least one round.");
        var classes = Matching(filter);
        var runs = classes
            .Select(c => BenchmarkConverter.TypeToBenchmarks(c.Class, BenchConfig.For(c.Class.GetCustomAttribute<MeasuredAsAttribute>()?.Kind ?? JobKind.Standard, quick, artifactsPath)))
            .ToArray();

        var measured = new List<RoundRow[]>();
        for (var round = 1; round <= rounds; round++)
        {
            log.WriteLine($"// cpumap-bench: round {round} of {rounds}");
            var summaries = BenchmarkRunner.Run(runs);
            measured.Add(summaries.SelectMany(summary => Rows(summary, classes.Single(c => c.Class == summary.BenchmarksCases[0].Descriptor.Type).Section)).ToArray());
        }
        log.WriteLine("// cpumap-bench: counting the managed rows' allocations on the calling thread");
        var allocations = AllocationProbe.Measure(classes.Select(c => c.Class));
        log.WriteLine("// cpumap-bench: measuring each row against its C twin interleaved");
        var interleaved = PairedRatios.Measure(classes.Select(c => c.Class), quick);
        return Aggregate(measured, allocations, interleaved);
    }

    /// <summary>The benchmark classes whose name contains <paramref name="filter"/> (all for null), with their sections.</summary>
    internal static (Type Class, string Section)[] Matching(string? filter)
    {
        var classes = AllClasses.Where(c => filter is null || c.Class.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToArray();
        return classes.Length > 0 ? classes : throw new ArgumentException(
            $"No benchmark class name contains '{filter}'. The classes are: {string.Join(", ", AllClasses.Select(c => c.Class.Name))}.", nameof(filter));
    }

    private static IReadOnlyList<MeasuredRow> Aggregate(List<RoundRow[]> rounds, IReadOnlyDictionary<(string Method, string? Map), double> allocations,
        IReadOnlyDictionary<(string Benchmark, string? Map), double> interleaved)
    {
        double? RatioIn(RoundRow[] round, RoundRow row)
            => row.IsBaseline || round.FirstOrDefault(r => r.Group == row.Group && r.IsBaseline) is not { } baseline ? null : row.MedianNs / baseline.MedianNs;

        return rounds[0].Select(first =>
        {
            var perRound = rounds.Select(round => round.Single(r => r.Benchmark == first.Benchmark && r.Map == first.Map)).ToArray();
            var ratios = rounds.Select((round, i) => RatioIn(round, perRound[i])).ToArray();
            return new MeasuredRow(first.Section, first.Group, first.Implementation, first.Benchmark, first.Map, first.IsBaseline, first.IsManaged,
                MedianNs: Statistics.Median(perRound.Select(r => r.MedianNs)),
                RoundMediansNs: perRound.Select(r => r.MedianNs).ToArray(),
                Ratio: ratios[0] is null ? null : Statistics.Median(ratios.Select(r => r!.Value)),
                InterleavedRatio: interleaved.TryGetValue((first.Benchmark, first.Map), out var paired) ? paired : null,
                AllocatedBytes: allocations.TryGetValue((first.Benchmark, first.Map), out var bytes) ? bytes : null);
        }).ToArray();
    }

    /// <summary>
    /// One round's rows in the order the class declares its benchmarks (BenchmarkDotNet sorts
    /// categories by name): a category's place is that of its first method, then parameters, then methods.
    /// </summary>
    private static IEnumerable<RoundRow> Rows(Summary summary, string section)
    {
        var methods = summary.BenchmarksCases.Select(b => b.Descriptor).Distinct().ToArray();
        int CategoryOrder(BenchmarkReport r) => methods
            .Where(d => d.Categories.SequenceEqual(r.BenchmarkCase.Descriptor.Categories))
            .Min(d => d.WorkloadMethod.MetadataToken);
        var reports = summary.Reports
            .Select((report, index) => (report, index))
            .OrderBy(x => CategoryOrder(x.report))
            .ThenBy(x => x.index) // BenchmarkDotNet's order within a category: by parameters, then declared
            .Select(x => x.report);
        foreach (var report in reports)
        {
            var benchmark = report.BenchmarkCase;
            var descriptor = benchmark.Descriptor;
            if (!report.Success || report.ResultStatistics is null)
                throw new InvalidOperationException(
                    $"{descriptor.Type.Name}.{descriptor.WorkloadMethod.Name} ({benchmark.Parameters.DisplayInfo}) did not run; see its log above.");
            var map = benchmark.Parameters.Items.FirstOrDefault(p => p.Name == "Map")?.Value as string;
            var category = descriptor.Categories.Single();
            yield return new RoundRow(
                Section: section,
                Group: map is null ? category : $"{map} {category}",
                Implementation: descriptor.WorkloadMethodDisplayInfo.Trim('\''), // BenchmarkDotNet quotes descriptions with spaces
                Benchmark: $"{descriptor.Type.Name}.{descriptor.WorkloadMethod.Name}",
                Map: map,
                IsBaseline: descriptor.Baseline,
                IsManaged: descriptor.WorkloadMethod.Name.EndsWith("_Managed", StringComparison.Ordinal),
                MedianNs: report.ResultStatistics.Median);
        }
    }
}
