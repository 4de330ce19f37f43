namespace CpuMap.Managed.Cli.Tests;

/// <summary>
/// A machine with no BPF filesystem at /sys/fs/bpf (a fresh VM or container): `cpumap load --pin` under it mounts one
/// and says so, as bpftool does. Run in a private mount namespace (unshare -m) whose /sys/fs/bpf is unmounted first, so
/// the host's mounts, which other test processes use, are never touched.
/// </summary>
public sealed class BpfFsMountTests(ITestOutputHelper output)
{
    [Fact]
    public void Load_with_pins_under_sys_fs_bpf_mounts_a_bpffs_when_none_is_there()
    {
        Kernel.RequireBpf();
        var cpumap = $"dotnet {Path.Combine(AppContext.BaseDirectory, "cpumap.dll")}";
        var obj = Fixtures.PathOf("clang19", "round_robin");
        var script = string.Join('\n',
            "set -u",
            "while umount /sys/fs/bpf 2>/dev/null; do :; done",
            "echo \"before: $(stat -f -c %t /sys/fs/bpf)\"",
            $"{cpumap} load {obj} --set nr_cpus=2 --pin /sys/fs/bpf/first --json > /dev/null; echo \"first exit $?\"",
            $"{cpumap} load {obj} --set nr_cpus=2 --pin /sys/fs/bpf/second --json > /dev/null; echo \"second exit $?\"",
            "echo \"after: $(stat -f -c %t /sys/fs/bpf)\"",
            "ls /sys/fs/bpf/first/maps /sys/fs/bpf/second/maps | tr '\\n' ' '");
        var (code, stdout, stderr) = Shell.Try("unshare", "--mount", "--propagation", "private", "sh", "-c", script);
        output.WriteLine(stdout + stderr);

        Assert.Equal(0, code);
        Assert.DoesNotContain("before: cafe4a11", stdout); // sysfs, not a BPF filesystem
        Assert.Contains("first exit 0", stdout);
        Assert.Contains("second exit 0", stdout);
        Assert.Contains("after: cafe4a11", stdout);
        Assert.Contains("/sys/fs/bpf/second/maps: cpu_map", stdout); // pinned on the filesystem the first load mounted
        // Said once: by the load that mounted it, not by the one after.
        Assert.Single(stderr.Split('\n'), line => line == "cpumap load: mounted a BPF filesystem at /sys/fs/bpf (none was mounted there) for the pins");
    }
}
