namespace CpuMap.Managed.Bench.Harness;

/// <summary>How a benchmark class must be measured; the harness turns it into a BenchmarkDotNet job.</summary>
internal enum JobKind
{
    /// <summary>Operations of a few microseconds, repeated until an iteration lasts long enough.</summary>
    Standard,

    /// <summary>
    /// One invocation per iteration, after an [IterationSetup] that puts back what the benchmark
    /// consumes (elements to delete) or for operations of tens of microseconds (CPUMAP updates
    /// start a kernel thread each), where BenchmarkDotNet's pilot stage would waste the budget.
    /// </summary>
    OneInvocationPerIteration,
}

/// <summary>Chooses the job of a benchmark class (<see cref="JobKind.Standard"/> without it).</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class MeasuredAsAttribute(JobKind kind) : Attribute
{
    public JobKind Kind { get; } = kind;
}
