using System.Runtime.InteropServices;

namespace CpuMap.Managed.Testing;

/// <summary>
/// Guards for tests that need the real kernel. Where the kernel cannot be reached the test is
/// skipped with the reason, except when CPUMAP_REQUIRE_KERNEL=1 (set by .ci/run): then the same
/// reason fails the test, so CI can never pass by skipping.
/// </summary>
public static class Kernel
{
    public const string RequireVariable = "CPUMAP_REQUIRE_KERNEL";

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Skips (or fails under CI) unless the process can make bpf(2) calls: root on Linux.</summary>
    public static void RequireBpf()
    {
        if (!OperatingSystem.IsLinux())
            Unavailable("the test needs Linux and its bpf(2) system call");
        if (geteuid() != 0)
            Unavailable("the test needs root (or CAP_BPF and CAP_NET_ADMIN) for bpf(2); run the tests as root");
    }

    /// <summary>Skips (or fails under CI) unless <paramref name="tool"/> is on PATH.</summary>
    public static string RequireTool(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(dir, tool);
            if (File.Exists(path))
                return path;
        }
        Unavailable($"the test needs '{tool}' on PATH; scripts/install-deps.sh installs it");
        return tool;
    }

    public static void Unavailable(string reason)
    {
        if (Required)
            Assert.Fail($"{reason} ({RequireVariable}=1 turns this skip into a failure)");
        Assert.Skip(reason);
    }

    [DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();
}
