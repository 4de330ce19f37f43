using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CpuMap.Managed.Bench.Harness;

/// <summary>
/// The job settings, chosen so that the whole suite runs in a few minutes on a 2-core VM: one
/// launch, few warmups, and enough iterations for a stable median. Absolute times on these
/// machines drift by 2× over minutes, so only the ratio between twins measured back to back
/// matters, and more iterations would not make it more true.
/// Benchmarks run in this process (the in-process emit toolchain): the measured code is system
/// calls, which a separate process would not change, while generating and building a project per
/// run costs minutes on a loaded 2-core machine.
/// </summary>
internal static class Jobs
{
    internal static Job For(JobKind kind, bool quick)
    {
        if (quick)
        {
            // Proves every benchmark runs; the timings mean nothing, and nothing here compares the twins' results.
            return Job.Dry.WithId("quick").WithInvocationCount(1).WithUnrollFactor(1).WithToolchain(InProcessEmitToolchain.Instance);
        }
        var job = kind switch
        {
            JobKind.OneInvocationPerIteration => new Job("one-invocation")
                .WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1)
                .WithWarmupCount(3)
                .WithIterationCount(30)
                .WithInvocationCount(1)
                .WithUnrollFactor(1),
            _ => new Job("standard")
                .WithLaunchCount(1)
                .WithWarmupCount(3)
                .WithIterationCount(15)
                .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(100)),
        };
        return job.WithToolchain(InProcessEmitToolchain.Instance);
    }
}
