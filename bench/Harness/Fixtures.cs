namespace CpuMap.Managed.Bench.Harness;

/// <summary>The compiled object the object benchmarks read, copied next to the benchmark assembly at build.</summary>
internal static class Fixtures
{
    internal const string RoundRobinName = "round_robin.o";

    internal static string RoundRobinObject { get; } = Path.Combine(AppContext.BaseDirectory, "fixtures", RoundRobinName);
}
