using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Syscalls.Tests;

/// <summary>
/// Runs alone, after the parallel tests: it counts the process's BPF fds, which parallel tests would change. Only BPF
/// fds count: the runtime opens and closes others at will.
/// </summary>
[CollectionDefinition(nameof(ResourceTests), DisableParallelization = true)]
public sealed class ResourceCollection;

[Collection(nameof(ResourceTests))]
public class ResourceTests
{
    [Fact]
    public void Thousands_of_maps_leak_no_fds()
    {
        Kernel.RequireBpf();
        // Warm up whatever the runtime opens on first use.
        Bpf.MapCreate(BpfMapType.Array, 4, 4, 1).Dispose();
        var before = OpenFds();
        for (var i = 0; i < 3000; i++)
            Bpf.MapCreate(BpfMapType.Array, 4, 4, 1).Dispose();
        for (var i = 0; i < 200; i++)
            Assert.Throws<BpfException>(() => Bpf.MapCreate(BpfMapType.Cpumap, 4, 12, 1)); // error paths too
        Assert.Equal(before, OpenFds());
    }

    [Fact]
    public void Failed_loads_and_gets_leak_no_fds()
    {
        Kernel.RequireBpf();
        using var fs = new PrivateBpfFs();
        using var map = Bpf.MapCreate(BpfMapType.Array, 4, 4, 1);
        var path = Path.Combine(fs.Path, "m");
        Bpf.ObjPin(map, path);
        Assert.Throws<BpfOperationException>(() => Bpf.ObjGetProg(path));
        var before = OpenFds();
        for (var i = 0; i < 200; i++)
        {
            Assert.Throws<BpfVerifierException>(() => Bpf.ProgLoad(BpfProgType.Xdp, TestPrograms.Invalid()));
            Assert.Throws<BpfOperationException>(() => Bpf.ObjGetProg(path)); // opened, found to be a map, closed
            Bpf.ObjGetMap(path).Dispose();
        }
        Assert.Equal(before, OpenFds());
    }

    private static int OpenFds() => FdCount.Bpf();
}
