namespace CpuMap.Managed.Bench.Harness;

/// <summary>
/// Bytes the calling thread allocates per operation of each managed map benchmark, counted with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>. BenchmarkDotNet's memory diagnoser counts
/// the whole process, so in an invocation of milliseconds (a CPUMAP update waits for a kernel
/// thread) it also counts what the runtime's own threads allocate meanwhile, and reports it for
/// the C rows too; this count is the one the zero-allocation target is checked against.
/// </summary>
internal static class AllocationProbe
{
    private const int Invocations = 8;

    /// <summary>Per managed method of the classes (and Map value), bytes per operation.</summary>
    internal static IReadOnlyDictionary<(string Method, string? Map), double> Measure(IEnumerable<Type> classes)
    {
        var bytes = new Dictionary<(string, string?), double>();
        foreach (var type in classes)
        foreach (var method in BenchmarkInvoker.Methods(type).Where(m => m.Name.EndsWith("_Managed", StringComparison.Ordinal)))
        foreach (var map in BenchmarkInvoker.MapValues(type))
        {
            using var invoker = BenchmarkInvoker.Create(type, method.Name, map);
            // The first calls compile and initialize (statics, P/Invoke stubs); they are not the steady state.
            for (var i = 0; i < 2; i++)
            {
                invoker.IterationSetup();
                invoker.Invoke();
            }
            long allocated = 0;
            for (var i = 0; i < Invocations; i++)
            {
                invoker.IterationSetup();
                var before = GC.GetAllocatedBytesForCurrentThread();
                invoker.Invoke();
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            }
            bytes[($"{type.Name}.{method.Name}", map)] = (double)allocated / Invocations / invoker.OperationsPerInvoke;
        }
        return bytes;
    }
}
