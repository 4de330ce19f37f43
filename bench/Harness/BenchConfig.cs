using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;

namespace CpuMap.Managed.Bench.Harness;

/// <summary>
/// The configuration every class runs with: the memory diagnoser (managed map operations must
/// allocate nothing), baselines per category (each C twin is the Baseline of its category, so
/// every managed row gets a ratio against it), and benchmarks run and listed in declaration order,
/// which puts each twin right next to the other.
/// </summary>
internal static class BenchConfig
{
    internal static IConfig For(JobKind kind, bool quick, string artifactsPath)
        => ManualConfig.CreateEmpty()
            .AddJob(Jobs.For(kind, quick))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddColumn(StatisticColumn.Median, CategoriesColumn.Default)
            .AddLogger(ConsoleLogger.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)
            .WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared, MethodOrderPolicy.Declared))
            .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value))
            .WithArtifactsPath(artifactsPath);
}
