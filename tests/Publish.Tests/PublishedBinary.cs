using System.Diagnostics;

namespace CpuMap.Managed.Publish.Tests;

/// <summary>
/// The published Native AOT binaries. linux-x64: the folder CPUMAP_PUBLISHED_DIR names (so CI publishes once
/// and the test stays fast), or else the output of scripts/publish (both RIDs), run once for the whole test
/// run. linux-arm64: the folder CPUMAP_PUBLISHED_ARM64_DIR names, or else artifacts/publish/linux-arm64.
/// </summary>
internal static class PublishedBinary
{
    public const string DirectoryVariable = "CPUMAP_PUBLISHED_DIR";

    /// <summary>
    /// What a libbpf-based loader or a framework-dependent .NET app would bring along (file-name parts):
    /// none of it may be needed by, or shipped beside, a published binary.
    /// </summary>
    public static readonly string[] ForbiddenLibraries = ["libbpf", "libelf", "libz", "libcoreclr", "libclrjit",
        "libhostfxr", "libhostpolicy", "libSystem.Native", "System.Private.CoreLib", "libstdc++", "libMono"];
    public const string Arm64DirectoryVariable = "CPUMAP_PUBLISHED_ARM64_DIR";

    private static readonly Lazy<string> Directory = new(Find);

    public static string Cpumap => Path.Combine(Directory.Value, "cpumap");

    /// <summary>
    /// The folder holding the linux-arm64 `cpumap` and `bpfasm`. Without either variable the shared
    /// scripts/publish run (which publishes both RIDs) finishes first, so no test reads a half-copied binary.
    /// Skips (fails under CPUMAP_REQUIRE_KERNEL=1) when no arm64 publish is there.
    /// </summary>
    public static string Arm64Directory()
    {
        var given = Environment.GetEnvironmentVariable(Arm64DirectoryVariable);
        if (!string.IsNullOrEmpty(given))
        {
            foreach (var binary in new[] { "cpumap", "bpfasm" })
                if (!File.Exists(Path.Combine(given, binary)))
                    throw new InvalidOperationException(
                        $"{Arm64DirectoryVariable}={given} has no '{binary}' binary; run scripts/publish linux-arm64 and point it at artifacts/publish/linux-arm64, or unset it");
            return given;
        }
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(DirectoryVariable)))
            _ = Directory.Value;
        var dir = Path.Combine(RepositoryRoot(), "artifacts", "publish", "linux-arm64");
        if (!File.Exists(Path.Combine(dir, "cpumap")) || !File.Exists(Path.Combine(dir, "bpfasm")))
            Kernel.Unavailable(
                $"no linux-arm64 publish in {dir}: run scripts/publish linux-arm64 (as root: it installs the cross toolchain) or set {Arm64DirectoryVariable}");
        return dir;
    }

    private static string Find()
    {
        var given = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrEmpty(given))
        {
            if (!File.Exists(Path.Combine(given, "cpumap")))
                throw new InvalidOperationException(
                    $"{DirectoryVariable}={given} has no 'cpumap' binary; run scripts/publish and point it at artifacts/publish/linux-x64, or unset it to publish here");
            return given;
        }
        var root = RepositoryRoot();
        var (exit, output) = Run(Path.Combine(root, "scripts", "publish"), [], TimeSpan.FromMinutes(10));
        if (exit != 0)
            throw new InvalidOperationException($"scripts/publish failed with exit code {exit}:\n{output}");
        return Path.Combine(root, "artifacts", "publish", "linux-x64");
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CpuMap.Managed.sln")))
                return dir.FullName;
        throw new InvalidOperationException(
            $"no CpuMap.Managed.sln above {AppContext.BaseDirectory}; set {DirectoryVariable} to the published binaries' folder");
    }

    /// <summary>
    /// Runs <paramref name="file"/> (with <paramref name="environment"/> added to this process's variables)
    /// and returns its exit code with stdout and stderr together.
    /// </summary>
    public static (int Exit, string Output) Run(string file, IEnumerable<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} ran longer than {timeout}");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
