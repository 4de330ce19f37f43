using CpuMap.Managed.Bench.Benchmarks;
using CpuMap.Managed.Bench.Harness;

namespace CpuMap.Managed.Bench.Report;

/// <summary>
/// The system calls one ARRAY lookup and one ARRAY update make, managed and C (strace counts per
/// operation): the evidence that both sides ask the kernel for exactly the same work, so that any
/// difference between them is user space.
/// </summary>
/// <param name="PerOperation">"ARRAY lookup, managed" and the like, to system call and calls per operation.</param>
public sealed record CallProfile(IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> PerOperation)
{
    internal static CallProfile? Measure()
    {
        var counts = new Dictionary<string, IReadOnlyDictionary<string, double>>();
        foreach (var (label, method) in new[]
                 {
                     ("lookup, C", nameof(MapElemBenchmarks.Lookup_C)), ("lookup, managed", nameof(MapElemBenchmarks.Lookup_Managed)),
                     ("update, C", nameof(MapElemBenchmarks.Update_C)), ("update, managed", nameof(MapElemBenchmarks.Update_Managed)),
                 })
        {
            using var invoker = BenchmarkInvoker.Create(typeof(MapElemBenchmarks), method, "ARRAY");
            var perOperation = SyscallCounts.PerOperation($"{nameof(MapElemBenchmarks)}.{method}", "ARRAY", invoker.OperationsPerInvoke);
            if (perOperation is null)
                return null;
            counts[$"ARRAY {label}"] = perOperation;
        }
        return new CallProfile(counts);
    }

    /// <summary>"1 × bpf BPF_MAP_LOOKUP_ELEM", or every call when there are several.</summary>
    internal string Describe(string label)
        => string.Join(" + ", PerOperation[label].Select(c => $"{c.Value:0.##} × {c.Key}"));
}
