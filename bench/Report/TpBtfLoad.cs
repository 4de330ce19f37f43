using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CpuMap.Managed.Bench.Report;

/// <summary>
/// Whole-process time and peak memory of loading a tp_btf object (the kernel's BTF looked up by name) by the published
/// Native AOT <c>cpumap load</c> beside <c>bpftool prog loadall</c>, as scripts/time-load-btf measures them side by side.
/// Either the figures, or <see cref="Skipped"/> saying why they were not measured.
/// </summary>
/// <param name="TimedRuns">Runs of each command timed by hyperfine, in rounds of 20 that take turns.</param>
/// <param name="MemoryRuns">Runs of each command whose peak resident set GNU time read, alternating.</param>
/// <param name="CpumapMs">cpumap's median time.</param>
/// <param name="BpftoolMs">bpftool's median time.</param>
/// <param name="CpumapKib">cpumap's median peak resident set.</param>
/// <param name="BpftoolKib">bpftool's.</param>
/// <param name="RoundTimeRatios">Each round's median time of cpumap over bpftool's.</param>
/// <param name="Skipped">Why nothing was measured, or null.</param>
public sealed record TpBtfLoad(
    [property: JsonPropertyName("timed_runs")] int TimedRuns,
    [property: JsonPropertyName("memory_runs")] int MemoryRuns,
    [property: JsonPropertyName("cpumap_ms")] double CpumapMs,
    [property: JsonPropertyName("bpftool_ms")] double BpftoolMs,
    [property: JsonPropertyName("cpumap_kib")] double CpumapKib,
    [property: JsonPropertyName("bpftool_kib")] double BpftoolKib,
    [property: JsonPropertyName("round_time_ratios")] IReadOnlyList<double> RoundTimeRatios,
    string? Skipped = null)
{
    internal const string Script = "scripts/time-load-btf";
    internal const string Binary = "artifacts/publish/linux-x64/cpumap";

    public double TimeRatio => CpumapMs / BpftoolMs;

    public double MemoryRatio => CpumapKib / BpftoolKib;

    /// <summary>
    /// Runs <see cref="Script"/> from the repository root (the working directory scripts/bench sets): 200 runs of each, 20
    /// with <paramref name="quick"/>. Without root, the published binary or the script, the result says so instead.
    /// </summary>
    internal static TpBtfLoad Measure(bool quick, TextWriter log)
    {
        if (!Environment.IsPrivilegedProcess)
            return NotMeasured("loading BPF objects as whole processes needs root; run scripts/bench as root");
        if (!File.Exists(Binary))
            return NotMeasured($"{Binary} is missing: scripts/bench publishes it before a full run (scripts/publish linux-x64)");
        if (!File.Exists(Script))
            return NotMeasured($"{Script} is missing: run scripts/bench from the repository root");
        var json = Path.Combine(Path.GetTempPath(), $"cpumap-time-load-btf-{Environment.ProcessId}.json");
        try
        {
            log.WriteLine($"// cpumap-bench: {Script} (whole-process tp_btf load beside bpftool)");
            using var process = Process.Start(new ProcessStartInfo(Script, [quick ? "20" : "200", "--json", json]) { UseShellExecute = false })!;
            process.WaitForExit();
            if (process.ExitCode != 0 || !File.Exists(json))
                return NotMeasured($"{Script} failed with exit code {process.ExitCode} (its output is in the bench log)");
            return JsonSerializer.Deserialize<TpBtfLoad>(File.ReadAllText(json))
                ?? NotMeasured($"{Script} wrote no figures to {json}");
        }
        finally
        {
            File.Delete(json);
        }
    }

    private static TpBtfLoad NotMeasured(string reason) => new(0, 0, 0, 0, 0, 0, [], reason);
}
