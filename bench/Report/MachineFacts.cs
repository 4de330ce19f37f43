using System.Diagnostics;
using System.Runtime.InteropServices;
using CpuMap.Managed.Bench.Native;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Bench.Report;

/// <summary>What the figures depend on: the kernel, the CPU and its mitigations (a system call's cost), the runtimes and compilers.</summary>
public sealed record MachineFacts(
    string Kernel,
    string Distribution,
    string CpuModel,
    int LogicalCpus,
    string PossibleCpus,
    string Memory,
    string Mitigations,
    string Dotnet,
    string BenchmarkDotNet,
    string Gcc,
    string Libbpf,
    DateTimeOffset RunAt)
{
    internal static MachineFacts Read() => new(
        Kernel: ReadText("/proc/sys/kernel/osrelease"),
        Distribution: OsRelease(),
        CpuModel: CpuInfo("model name"),
        LogicalCpus: Environment.ProcessorCount,
        PossibleCpus: CpuList.Possible.ToString(),
        Memory: MemTotal(),
        Mitigations: $"meltdown: {ReadText("/sys/devices/system/cpu/vulnerabilities/meltdown")}; spectre_v2: {ReadText("/sys/devices/system/cpu/vulnerabilities/spectre_v2")}",
        Dotnet: RuntimeInformation.FrameworkDescription,
        BenchmarkDotNet: typeof(BenchmarkDotNet.Running.BenchmarkRunner).Assembly.GetName().Version?.ToString(3) ?? "unknown",
        Gcc: Run("gcc", "-dumpfullversion"),
        Libbpf: Baseline.LibbpfVersion,
        RunAt: DateTimeOffset.UtcNow);

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string CpuInfo(string field)
        => ReadText("/proc/cpuinfo").Split('\n')
            .Select(line => line.Split(':', 2))
            .FirstOrDefault(parts => parts.Length == 2 && parts[0].Trim() == field)?[1].Trim() ?? "unknown";

    private static string MemTotal()
    {
        var line = ReadText("/proc/meminfo").Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return line is not null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kib)
            ? $"{kib / 1024.0 / 1024.0:F1} GiB"
            : "unknown";
    }

    private static string OsRelease()
        => ReadText("/etc/os-release").Split('\n')
            .FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"') ?? "unknown";

    private static string Run(string tool, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, UseShellExecute = false })!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "not installed";
        }
    }
}
