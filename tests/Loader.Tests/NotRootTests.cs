namespace CpuMap.Managed.Loader.Tests;

/// <summary>`cpumap load` run as an unprivileged user (the built tool, under setpriv) says it needs root.</summary>
public sealed class NotRootTests
{
    [Fact]
    public async Task Load_as_nobody_fails_saying_it_needs_root()
    {
        var (code, output, error) = await Unprivileged.RunCpumap("load", Fixtures.PathOf("clang19", "round_robin"));

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains("cpumap load: loading BPF objects needs root", error);
        Assert.Contains("EPERM", error);
    }
}
