using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>`cpumap probe`, run in-process through System.CommandLine, and once as another user.</summary>
public sealed class ProbeCommandTests(ITestOutputHelper output)
{
    [Fact]
    public void Probe_prints_the_cpus_and_every_entry_read_back()
    {
        Kernel.RequireBpf();
        var (exit, stdout, stderr) = CpumapInProcess.Invoke("probe");
        output.WriteLine(stdout);

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Contains($"possible CPUs: {CpuList.Possible} ({CpuList.Possible.Count})", stdout);
        Assert.Contains("online CPUs:", stdout);
        Assert.Contains($"max_entries {CpuList.Possible[^1] + 1}", stdout);
        foreach (var cpu in CpuList.Possible)
            RenderedTable.Row(stdout, $"{cpu}", "2048", "none");
        Assert.Contains($"set {CpuList.Possible.Count} entries", stdout);
        Assert.Contains("(0 left) and closed the map", stdout);
    }

    [Fact]
    public void Probe_with_qsize_and_a_remote_program_shows_both()
    {
        Kernel.RequireBpf();
        var (exit, stdout, _) = CpumapInProcess.Invoke("probe", "--qsize", "64", "--remote-program", "drop");

        Assert.Equal(0, exit);
        foreach (var cpu in CpuList.Possible)
            RenderedTable.Row(stdout, $"{cpu}", "64", "[1-9][0-9]*");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("16385")]
    [InlineData("4294967296")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("many")]
    public void Bad_qsize_is_refused_before_the_kernel_is_asked(string qsize)
    {
        var (exit, stdout, stderr) = CpumapInProcess.Invoke("probe", "--qsize", qsize);
        Assert.Equal(1, exit);
        Assert.Contains($"--qsize {qsize}", stderr);
        Assert.Contains("from 1 to 16384", stderr);
        Assert.DoesNotContain("possible CPUs", stdout);
    }

    [Fact]
    public void Bad_remote_program_is_refused()
    {
        var (exit, _, stderr) = CpumapInProcess.Invoke("probe", "--remote-program", "tx");
        Assert.Equal(1, exit);
        Assert.Contains("tx", stderr);
        Assert.Contains("pass", stderr);
    }

    [Fact]
    public async Task Without_privilege_probe_says_why_and_exits_1()
    {
        // nobody, without capabilities: bpf(2) answers EPERM (unprivileged_bpf_disabled).
        var (exit, stdout, stderr) = await Unprivileged.RunCpumap("probe");
        output.WriteLine(stderr);

        Assert.Equal(1, exit);
        Assert.Contains("cpumap probe: BPF_MAP_CREATE failed with EPERM", stderr);
        Assert.Contains("BPF_MAP_CREATE needs CAP_BPF, and this process lacks CAP_BPF.", stderr);
        Assert.Contains("--cap-add BPF", stderr);
        Assert.DoesNotContain("possible CPUs", stdout);
    }
}
