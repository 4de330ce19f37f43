namespace CpuMap.Managed.Cli.Tests;

/// <summary>`cpumap load` run as user nobody without capabilities (the built tool, under setpriv) names the capability it lacks.</summary>
public sealed class NotRootTests
{
    [Fact]
    public async Task Load_as_nobody_fails_naming_the_missing_capability()
    {
        var (code, output, error) = await Unprivileged.RunCpumap("load", Fixtures.PathOf("clang19", "round_robin"), "--set", "nr_cpus=2");

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains("cpumap load: ", error);
        Assert.Contains("EPERM", error);
        Assert.Contains("this process lacks CAP_BPF", error);
        Assert.Contains("setcap cap_bpf", error);
    }
}
