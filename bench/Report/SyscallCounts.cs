using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CpuMap.Managed.Bench.Report;

/// <summary>
/// The bpf(2) commands and other system calls one operation makes, counted with strace on this
/// program's `repeat` command: a run of <see cref="Repeats"/> + 1 invocations minus a run of 1,
/// so what happens once per process (libbpf's feature probes, the runtime's start) cancels out.
/// strace slows every call down, so only the counts are kept, never its times.
/// </summary>
internal static partial class SyscallCounts
{
    private const int Repeats = 20;

    /// <summary>
    /// System call (bpf commands as "bpf BPF_X") to calls per operation (an invocation divided by
    /// <paramref name="operationsPerInvoke"/>); null when strace is missing.
    /// </summary>
    internal static IReadOnlyDictionary<string, double>? PerOperation(string benchmark, string? map = null, int operationsPerInvoke = 1)
    {
        var many = Count(benchmark, map, Repeats + 1);
        var one = Count(benchmark, map, 1);
        if (many is null || one is null)
            return null;
        return many.Keys
            .Select(call => (call, perInvocation: (many[call] - one.GetValueOrDefault(call)) / (double)Repeats / operationsPerInvoke))
            .Where(x => x.perInvocation >= 0.5)
            .OrderByDescending(x => x.perInvocation)
            .ToDictionary(x => x.call, x => x.perInvocation);
    }

    private static Dictionary<string, int>? Count(string benchmark, string? map, int invocations)
    {
        var output = Path.GetTempFileName();
        try
        {
            var self = Environment.ProcessPath!;
            var arguments = new List<string> { "-f", "-qq", "-o", output, self };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
                arguments.Add(typeof(SyscallCounts).Assembly.Location);
            arguments.AddRange(["repeat", benchmark, "--count", invocations.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            if (map is not null)
                arguments.AddRange(["--map", map]);
            Process process;
            try
            {
                process = Process.Start(new ProcessStartInfo("strace", arguments) { RedirectStandardOutput = true, UseShellExecute = false })!;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
            using (process)
            {
                process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0)
                    throw new InvalidOperationException($"strace of '{benchmark}' failed (exit {process.ExitCode}); run it by hand: strace -f {string.Join(' ', arguments.Skip(4))}");
            }
            var counts = new Dictionary<string, int>();
            foreach (var line in File.ReadLines(output))
            {
                var match = Call().Match(line);
                if (!match.Success)
                    continue;
                var name = match.Groups[2].Success ? $"bpf {match.Groups[2].Value}" : match.Groups[1].Value;
                counts[name] = counts.GetValueOrDefault(name) + 1;
            }
            return counts;
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>"1234 name(" or "1234 bpf(BPF_CMD,"; resumed and exit lines do not match.</summary>
    [GeneratedRegex(@"^\d+\s+(\w+)\((BPF_\w+)?")]
    private static partial Regex Call();
}
