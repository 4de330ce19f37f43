using System.Globalization;
using CpuMap.Managed.Bench.Harness;
using CpuMap.Managed.Bench.Redirect;

namespace CpuMap.Managed.Bench.Report;

/// <summary>
/// Why a target was missed. The numbers come from the run (its rounds, the load's phases and
/// system-call counts); the reasoning is what profiling these paths found: strace counts, per-phase
/// timing, the runtime's JIT and allocation counters, and reading the code on both sides.
/// </summary>
internal static class Explanations
{
    internal static string? For(TargetVerdict verdict, BenchResults results)
    {
        if (verdict.Subject == "open + load + close")
            return Load(verdict, results);
        if (verdict.Target.StartsWith("0 bytes", StringComparison.Ordinal))
            return $"**Allocations** ({verdict.Measured}): counted on the calling thread with `GC.GetAllocatedBytesForCurrentThread()` " +
                   "around the benchmark method alone, so these bytes are the managed call's own. Look for the allocation with " +
                   "`dotnet-trace collect --profile gc-verbose` on `CpuMap.Managed.Bench repeat <Class.Method>`.";
        if (verdict.Target.StartsWith("DSL flow-hash", StringComparison.Ordinal) && results.FlowHash is { } flowHash)
            return FlowHash(verdict, flowHash);
        if (verdict.Subject.StartsWith("live frames", StringComparison.Ordinal) && results.Redirect is { } redirect)
            return Redirect(verdict, redirect);
        if (verdict.Subject == Targets.TpBtfSubject)
            return "**tp_btf load, whole process** (the section below): cpumap's time is the Native AOT runtime's start-up and the " +
                   "load; the kernel's BTF is mapped in place, not read, and searched by name without an object per type " +
                   "(docs/aot.md has the breakdown). bpftool's time is mostly libbpf parsing the whole of that BTF, so a busy " +
                   "machine slows it more than cpumap: run `scripts/time-load-btf` again on an idle one.";
        if (verdict.Subject.StartsWith("xlated", StringComparison.Ordinal))
            return null; // the instruction counts speak for themselves, in the redirect section
        return MapOperation(verdict, results);
    }

    private static string MapOperation(TargetVerdict verdict, BenchResults results)
    {
        var row = results.Managed(verdict.Subject);
        var twin = results.BaselineOf(row)!;
        var rounds = results.RoundRatiosOf(row);
        var gap = row.MedianNs - twin.MedianNs;
        var ratios = $"the ratio was {F(row.InterleavedRatio ?? double.NaN, 3)} interleaved and {string.Join(", ", rounds.Select(r => F(r, 3)))} in " +
                     "BenchmarkDotNet's rounds. ";
        // A target can be missed in some rounds while the medians show the managed call faster: then
        // there is no per-call addition to explain, only the spread.
        var text = gap <= 0
            ? $"**{verdict.Subject}** ({verdict.Target}): by the medians the managed call is {Format.Time(-gap)} faster than C " +
              $"({F(100 * -gap / twin.MedianNs, 1)} % of the C call's {Format.Time(twin.MedianNs)}); " + ratios + SameCalls(results)
            : $"**{verdict.Subject}** ({verdict.Target}): {Format.Time(gap)} more per call than C by the medians; " + ratios +
              SameCalls(results) + "What the managed call adds per call: the " +
              "P/Invoke into libc's `syscall` (a GC-mode switch and saving errno for `SetLastError`), the `SafeHandle` reference " +
              "count taken and released around the call (two interlocked operations, so that another thread cannot close and " +
              $"reuse the fd while the kernel reads it), and the key and value size checks. In this run the gap by the medians " +
              $"is {F(100 * gap / twin.MedianNs, 1)} % of the C call's {Format.Time(twin.MedianNs)}. ";
        var limit = verdict.Subject == "CPUMAP update" ? Targets.CpuMapUpdateRatio : Targets.MapOperationRatio;
        var within = rounds.Count(r => r <= limit);
        text += within > 0
            ? $"{within} of {rounds.Count} BenchmarkDotNet rounds met the target (spread {F(rounds.Min(), 3)}–{F(rounds.Max(), 3)} ×), " +
              "so this run's measurements straddle the limit."
            : "No BenchmarkDotNet round met it either: profile it with `perf record` on " +
              $"`CpuMap.Managed.Bench repeat {row.Benchmark}{(row.Map is null ? "" : $" --map {row.Map}")}` to see where the user-space time goes.";
        return text;
    }

    /// <summary>The strace evidence that both sides make the same system calls, when it was gathered.</summary>
    private static string SameCalls(BenchResults results)
    {
        if (results.Calls is not { } calls)
            return "";
        // strace was run on the ARRAY rows only; it says nothing measured about other map types.
        return $"strace, run on the ARRAY rows only, counts the same system calls per operation on both sides (ARRAY lookup: C {calls.Describe("ARRAY lookup, C")}, " +
               $"managed {calls.Describe("ARRAY lookup, managed")}; update: C {calls.Describe("ARRAY update, C")}, managed " +
               $"{calls.Describe("ARRAY update, managed")}), with the same 32-byte attribute, so the kernel's work is the same and the " +
               "difference is user space. ";
    }

    private static string Load(TargetVerdict verdict, BenchResults results)
    {
        var row = results.Managed(verdict.Subject);
        var libbpf = results.BaselineOf(row)!;
        var text = $"**open + load + close** ({verdict.Target}): {verdict.Measured}, {verdict.Shortfall}. ";
        if (results.Load is not { } load)
            return text;
        text += $"The phases (below, under Objects) show where it goes: the managed open takes {Format.Time(load.Managed.OpenNs)} against " +
                $"libbpf's {Format.Time(load.Libbpf.OpenNs)}, and close {Format.Time(load.Managed.CloseNs)} against " +
                $"{Format.Time(load.Libbpf.CloseNs)}; the load phase takes {Format.Time(load.Managed.LoadNs)} against " +
                $"{Format.Time(load.Libbpf.LoadNs)}. Both load the object's BTF (BPF_BTF_LOAD), create the maps (BPF_MAP_CREATE, " +
                ".rodata's update and freeze) and load the programs with their func and line info (BPF_PROG_LOAD, the verifier " +
                "and the JIT). The work still differs: libbpf gives its maps the BTF too and adds a probe BPF_PROG_LOAD and " +
                "BPF_PROG_BIND_MAP; the managed loader creates its maps without BTF and adds BPF_OBJ_GET_INFO_BY_FD once per fd. ";
        var floor = load.Managed.LoadNs / load.Libbpf.TotalNs;
        text += $"The managed load phase alone is already {F(floor, 2)} × libbpf's whole open + load + close, so " +
                (floor > Targets.LoadRatio
                    ? $"{F(Targets.LoadRatio, 1)} × is out of reach in the steady state while the object needs these map creations " +
                      "and program loads: halving libbpf's time would mean asking the kernel for less than the object needs. Only " +
                      $"libbpf's first load in a process, which adds its feature probes, leaves that room: {Format.Time(load.FirstLibbpfNs)} " +
                      $"in a fresh process in this run, against {Format.Time(load.FirstManagedNs)} for the managed loader's first load " +
                      $"(JIT compilation included), {F(load.FirstManagedNs / load.FirstLibbpfNs, 2)} ×."
                    : "the rest of the gap is in open and close, which are user space: the managed open parses the ELF file and its " +
                      "BTF into objects (the allocation count below), where libbpf keeps pointers into the mapped file.");
        return text;
    }

    private static string Redirect(TargetVerdict verdict, RedirectResult redirect)
        => $"**Redirect throughput** ({verdict.Target}): {verdict.Measured}. The rounds alternate the two programs on the same CPUs, " +
           "queues and remote program, and the per-frame cost is mostly the kernel's: the test run's frame setup, " +
           "`xdp_do_redirect`, the CPUMAP enqueue and the bulk flush to the remote CPU's ring. The programs differ only in their " +
           $"{redirect.DslInstructions} against {redirect.ClangInstructions} translated instructions; the table of rounds in the " +
           "redirect section shows how far apart the rounds lie.";

    private static string FlowHash(TargetVerdict verdict, FlowHashResult flowHash)
    {
        var (dsl, clang) = (FlowHashThroughput.DslTable, FlowHashThroughput.ClangTable);
        return $"**Flow-hash throughput** ({verdict.Target}): {verdict.Measured}. The programs parse, hash, look up the table and count " +
               $"the same way; they differ in {flowHash.Instructions[dsl]} against {flowHash.Instructions[clang]} translated instructions. " +
               "The rounds rotate which program runs first; the flow-hash section shows how far apart they lie.";
    }

    private static string F(double value, int decimals) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);
}
