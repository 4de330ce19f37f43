using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.RegularExpressions;

namespace CpuMap.Managed.Bench.Harness;

/// <summary>What `repeat` did: invocations, time, and what the runtime did meanwhile.</summary>
internal sealed record RepeatResult(string Benchmark, int Invocations, int OperationsPerInvoke, double ElapsedNs, long JitCompiled, long AllocatedBytes)
{
    /// <summary>The line `repeat` prints, which <see cref="Repeat.InFreshProcess"/> reads back.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"// {Benchmark}: {Invocations} invocations of {OperationsPerInvoke} operations in {ElapsedNs:F0} ns " +
        $"({ElapsedNs / 1e3 / Invocations:F1} µs each); {JitCompiled} methods JIT-compiled, {AllocatedBytes / Invocations} bytes allocated per invocation");
}

/// <summary>
/// The `repeat` command: one benchmark method run many times without BenchmarkDotNet, for
/// strace -c and perf record, and for timing a first call in a fresh process.
/// </summary>
internal static partial class Repeat
{
    internal static RepeatResult Run(string benchmark, string? map, int invocations)
    {
        if (invocations < 1)
            throw new ArgumentOutOfRangeException(nameof(invocations), invocations, "Repeat at least once.");
        var dot = benchmark.IndexOf('.', StringComparison.Ordinal);
        var type = SuiteRunner.AllClasses.Select(c => c.Class).FirstOrDefault(t => dot > 0 && t.Name == benchmark[..dot])
            ?? throw new ArgumentException(
                $"'{benchmark}' names no benchmark class; write Class.Method with one of {string.Join(", ", SuiteRunner.AllClasses.Select(c => c.Class.Name))}.",
                nameof(benchmark));
        using var invoker = BenchmarkInvoker.Create(type, benchmark[(dot + 1)..], map);
        var jitted = JitInfo.GetCompiledMethodCount();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < invocations; i++)
        {
            invoker.IterationSetup();
            invoker.Invoke();
        }
        var elapsed = Stopwatch.GetElapsedTime(start);
        return new RepeatResult(benchmark, invocations, invoker.OperationsPerInvoke, elapsed.TotalNanoseconds,
            JitInfo.GetCompiledMethodCount() - jitted, GC.GetAllocatedBytesForCurrentThread() - allocated);
    }

    /// <summary>Runs `repeat` in a new process of this program and reads its result.</summary>
    internal static (double ElapsedNs, string Output) InFreshProcess(string benchmark, int invocations)
    {
        var self = Environment.ProcessPath!;
        var arguments = new List<string>();
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            arguments.Add(typeof(Repeat).Assembly.Location);
        arguments.AddRange(["repeat", benchmark, "--count", invocations.ToString(CultureInfo.InvariantCulture)]);
        using var process = Process.Start(new ProcessStartInfo(self, arguments) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var match = Elapsed().Match(output);
        if (process.ExitCode != 0 || !match.Success)
            throw new InvalidOperationException($"'repeat {benchmark}' in a new process failed (exit {process.ExitCode}): {output}");
        return (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), output);
    }

    [GeneratedRegex(@"operations in (\d+) ns")]
    private static partial Regex Elapsed();
}
