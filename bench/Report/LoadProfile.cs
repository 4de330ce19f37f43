using System.Diagnostics;
using System.Runtime;
using CpuMap.Managed.Bench.Benchmarks;
using CpuMap.Managed.Bench.Harness;
using CpuMap.Managed.Bench.Native;
using CpuMap.Managed.Loader;

namespace CpuMap.Managed.Bench.Report;

/// <summary>The median time of each phase of one open + load + close.</summary>
public sealed record LoadPhases(double OpenNs, double LoadNs, double CloseNs)
{
    public double TotalNs => OpenNs + LoadNs + CloseNs;
}

/// <summary>
/// Where the time of one open + load + close goes, beside libbpf's: each phase timed (open reads
/// and parses the file; load creates the maps and loads the programs; close closes every fd),
/// the system calls each side makes (strace counts), and what the runtime does besides on the
/// managed side (methods JIT-compiled and bytes allocated per load, in the steady state).
/// </summary>
/// <param name="Managed">The managed loader's phases.</param>
/// <param name="Libbpf">libbpf's phases.</param>
/// <param name="ManagedSyscalls">Calls per managed load, by system call (bpf commands apart); null without strace.</param>
/// <param name="LibbpfSyscalls">The same for libbpf.</param>
/// <param name="JitCompiledPerLoad">Methods the JIT compiled per managed load, in the steady state.</param>
/// <param name="AllocatedBytesPerLoad">Bytes the managed load allocated on the calling thread.</param>
/// <param name="FirstManagedNs">The first managed load in a fresh process (median of 5 processes): JIT compilation included.</param>
/// <param name="FirstLibbpfNs">libbpf's first load in a fresh process: its feature probes included.</param>
public sealed record LoadProfile(
    LoadPhases Managed,
    LoadPhases Libbpf,
    IReadOnlyDictionary<string, double>? ManagedSyscalls,
    IReadOnlyDictionary<string, double>? LibbpfSyscalls,
    double JitCompiledPerLoad,
    double AllocatedBytesPerLoad,
    double FirstManagedNs,
    double FirstLibbpfNs)
{
    private const string ManagedBenchmark = $"{nameof(ObjectBenchmarks)}.{nameof(ObjectBenchmarks.OpenLoad_Managed)}";
    private const string LibbpfBenchmark = $"{nameof(ObjectBenchmarks)}.{nameof(ObjectBenchmarks.OpenLoad_libbpf)}";

    internal static LoadProfile Measure(bool quick)
    {
        var loads = quick ? 5 : 300;
        Baseline.LibbpfSilence();
        WarmUp();
        var jitted = JitInfo.GetCompiledMethodCount();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var managed = new (double Open, double Load, double Close)[loads];
        for (var i = 0; i < loads; i++)
            managed[i] = ManagedPhases();
        var jitPerLoad = (double)(JitInfo.GetCompiledMethodCount() - jitted) / loads;
        var bytesPerLoad = (double)(GC.GetAllocatedBytesForCurrentThread() - allocated) / loads;

        var libbpf = new (double Open, double Load, double Close)[loads];
        for (var i = 0; i < loads; i++)
        {
            Baseline.Check(Baseline.LibbpfPhases(Fixtures.RoundRobinObject, out var open, out var load, out var close), "bpf_object phases");
            libbpf[i] = (open, load, close);
        }
        return new LoadProfile(Medians(managed), Medians(libbpf),
            SyscallCounts.PerOperation(ManagedBenchmark), SyscallCounts.PerOperation(LibbpfBenchmark), jitPerLoad, bytesPerLoad,
            FirstLoad(ManagedBenchmark), FirstLoad(LibbpfBenchmark));
    }

    /// <summary>Loads until the tiered JIT has nothing left to recompile (or 5 s pass): then the runtime is in its steady state.</summary>
    private static void WarmUp()
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 5;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var before = JitInfo.GetCompiledMethodCount();
            for (var i = 0; i < 50; i++)
                ManagedPhases();
            if (JitInfo.GetCompiledMethodCount() == before)
                return;
        }
    }

    private static (double Open, double Load, double Close) ManagedPhases()
    {
        var t0 = Stopwatch.GetTimestamp();
        var spec = BpfObjectSpec.Open(Fixtures.RoundRobinObject);
        var t1 = Stopwatch.GetTimestamp();
        var collection = spec.Load();
        var t2 = Stopwatch.GetTimestamp();
        collection.Dispose();
        var t3 = Stopwatch.GetTimestamp();
        return (Ns(t1 - t0), Ns(t2 - t1), Ns(t3 - t2));
    }

    /// <summary>The median over 5 fresh processes of the time their first (and only) invocation of <paramref name="benchmark"/> took.</summary>
    private static double FirstLoad(string benchmark)
        => Statistics.Median(Enumerable.Range(0, 5).Select(_ => Repeat.InFreshProcess(benchmark, 1).ElapsedNs));

    private static double Ns(long ticks) => ticks * 1e9 / Stopwatch.Frequency;

    private static LoadPhases Medians((double Open, double Load, double Close)[] phases)
        => new(Statistics.Median(phases.Select(p => p.Open)), Statistics.Median(phases.Select(p => p.Load)), Statistics.Median(phases.Select(p => p.Close)));
}
