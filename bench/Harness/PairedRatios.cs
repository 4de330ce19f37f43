using System.Diagnostics;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace CpuMap.Managed.Bench.Harness;

/// <summary>
/// Each row's ratio to its C twin measured interleaved: one invocation of the twin and one of the
/// row, in alternating order, again and again on the same instance (the same map fds), each pair giving a ratio; the
/// median of those. Two invocations milliseconds apart see the same machine, so this ratio does
/// not drift with the VM's load as two BenchmarkDotNet runs seconds apart can.
/// </summary>
internal static class PairedRatios
{
    internal static IReadOnlyDictionary<(string Benchmark, string? Map), double> Measure(IEnumerable<Type> classes, bool quick)
    {
        var pairs = quick ? 3 : 101;
        var ratios = new Dictionary<(string, string?), double>();
        foreach (var type in classes)
        foreach (var map in BenchmarkInvoker.MapValues(type))
        foreach (var category in BenchmarkInvoker.Methods(type).GroupBy(m => m.GetCustomAttribute<BenchmarkCategoryAttribute>()?.Categories.Single()))
        {
            var twin = category.FirstOrDefault(m => m.GetCustomAttribute<BenchmarkAttribute>()!.Baseline);
            if (twin is null)
                continue;
            using var baseline = BenchmarkInvoker.Create(type, twin.Name, map);
            foreach (var method in category.Where(m => m != twin))
            {
                var row = baseline.Sibling(method);
                for (var i = 0; i < 3; i++)
                {
                    Time(baseline);
                    Time(row);
                }
                // The order alternates (C first, then managed first, ...): whichever runs second in a pair
                // meets caches and a CPU frequency the first left behind, and a fixed order would give that
                // advantage to the same side in every pair.
                var perPair = new double[pairs];
                for (var i = 0; i < pairs; i++)
                {
                    double twinNs, rowNs;
                    if (i % 2 == 0)
                    {
                        twinNs = Time(baseline) / baseline.OperationsPerInvoke;
                        rowNs = Time(row) / row.OperationsPerInvoke;
                    }
                    else
                    {
                        rowNs = Time(row) / row.OperationsPerInvoke;
                        twinNs = Time(baseline) / baseline.OperationsPerInvoke;
                    }
                    perPair[i] = rowNs / twinNs;
                }
                ratios[($"{type.Name}.{method.Name}", map)] = Statistics.Median(perPair);
            }
        }
        return ratios;
    }

    private static double Time(BenchmarkInvoker invoker)
    {
        invoker.IterationSetup();
        var start = Stopwatch.GetTimestamp();
        invoker.Invoke();
        // Raw ticks (nanoseconds on Linux): a TimeSpan would round to 100 ns, too coarse for invocations of a few microseconds.
        return (Stopwatch.GetTimestamp() - start) * 1e9 / Stopwatch.Frequency;
    }
}
