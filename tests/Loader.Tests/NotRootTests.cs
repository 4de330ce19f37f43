namespace CpuMap.Managed.Loader.Tests;

/// <summary>`cpumap load` run as an unprivileged user (the built tool, under setpriv) says it needs root.</summary>
public sealed class NotRootTests
{
    [Fact]
    public void Load_as_nobody_fails_saying_it_needs_root()
    {
        Kernel.RequireBpf(); // root, so that setpriv may drop to nobody
        Kernel.RequireTool("setpriv");
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? host
            : Kernel.RequireTool("dotnet");
        var cpumap = Path.Combine(AppContext.BaseDirectory, "cpumap.dll");

        var (code, output, error) = Shell.Try("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
            dotnet, cpumap, "load", Fixtures.PathOf("clang19", "round_robin"));

        if (error.Contains("Permission denied", StringComparison.Ordinal) && !error.Contains("cpumap load", StringComparison.Ordinal))
            Kernel.Unavailable($"user nobody cannot run {cpumap}: {error.Trim()}");
        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains("cpumap load: loading BPF objects needs root", error);
        Assert.Contains("EPERM", error);
    }
}
