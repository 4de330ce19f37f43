using System.Text.RegularExpressions;

namespace CpuMap.Managed.Publish.Tests;

/// <summary>
/// The linux-arm64 `cpumap` against a real arm64 kernel: scripts/arm64-vm boots Debian 12's arm64 kernel in
/// qemu-system-aarch64 (full-system emulation, TCG) from an initramfs holding the binary, the arm64 C library,
/// round_robin.o, busybox and veth.ko, and runs `cpumap load` (pinned in a bpffs), `cpumap probe` and
/// `cpumap demo` there. This is the only test that makes bpf(2) calls through the arm64 syscall number (280):
/// qemu-user answers bpf(2) with ENOSYS (<see cref="Arm64Tests"/>). About 5 s with the kernel cached in
/// artifacts/arm64-vm, about 20 s when the script first fetches it from Debian's arm64 archive.
/// </summary>
public sealed class Arm64KernelTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

    [Fact]
    public void Cpumap_loads_probes_and_runs_the_demo_on_an_arm64_kernel()
    {
        Kernel.RequireTool("qemu-system-aarch64");
        Kernel.RequireTool("cpio");
        if (!File.Exists("/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1"))
            Kernel.Unavailable("the test needs the arm64 C library in /usr/aarch64-linux-gnu (libc6-arm64-cross); scripts/install-deps.sh installs it");
        var dir = PublishedBinary.Arm64Directory();
        var script = Path.Combine(PublishedBinary.RepositoryRoot(), "scripts", "arm64-vm");

        var (exit, console) = PublishedBinary.Run(script, [], Timeout, new Dictionary<string, string>
        {
            [PublishedBinary.Arm64DirectoryVariable] = dir,
            ["ARM64_VM_FRAMES"] = "20000",
            ["ARM64_VM_TIMEOUT"] = "600",
        });
        output.WriteLine(console);
        Assert.True(exit == 0, $"scripts/arm64-vm exited with {exit}:\n{console}");
        Assert.Matches(@"=== GUEST Linux \S+ aarch64, 2 CPUs", console);
        Assert.Contains("=== DONE failed=0", console);

        var load = Section(console, "load");
        // Each with a kernel id.
        RenderedTable.Row(load, "cpu_map", "cpu_map", @"[1-9]\d*", "BPF_MAP_TYPE_CPUMAP");
        RenderedTable.Row(load, "xdp_redir_cpu_round_robin", "xdp_redir_cpu_r", @"[1-9]\d*", "BPF_PROG_TYPE_XDP", "BPF_XDP");
        RenderedTable.Row(load, "xdp_cpumap_count", "xdp_cpumap_coun", @"[1-9]\d*", "BPF_PROG_TYPE_XDP", "BPF_XDP_CPUMAP");
        Assert.Contains("/sys/fs/bpf/rr/progs/xdp_redir_cpu_round_robin", load);

        var pins = Section(console, "pins");
        foreach (var pin in new[] { "cpu_map", "cpus_available", "cpus_iterator", "remote_packets", "xdp_redir_cpu_round_robin", "xdp_cpumap_count" })
            Assert.Contains(pin, pins);

        var probe = Section(console, "probe");
        Assert.Contains("possible CPUs: 0-1 (2)", probe);
        Assert.Contains("online CPUs:   0-1 (2)", probe);
        Assert.Matches(@"CPUMAP 'cpumap_probe' \(id [1-9]\d*\): max_entries 2", probe);
        Assert.Contains("removed them (0 left) and closed the map", probe);

        Section(console, "veth");
        var demo = Section(console, "demo");
        Assert.Contains("sent 20000 = delivered", demo);
        Assert.Contains("removed: the redirect and remote programs", demo);
    }

    /// <summary>What the guest printed between "=== BEGIN name" and "=== END name exit=0" (asserting exit 0).</summary>
    private static string Section(string console, string name)
    {
        var match = Regex.Match(console, $@"^=== BEGIN {name}:.*?\n(?<body>.*?)^=== END {name} exit=(?<exit>\d+)$",
            RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(match.Success, $"the guest printed no complete '{name}' section:\n{console}");
        Assert.True(match.Groups["exit"].Value == "0", $"'{name}' exited with {match.Groups["exit"].Value} in the guest:\n{match.Groups["body"].Value}");
        return match.Groups["body"].Value;
    }
}
