using CpuMap.Managed.Elf;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader.Tests;

[CollectionDefinition(nameof(FdCounting), DisableParallelization = true)]
public sealed class FdCounting;

/// <summary>A load that fails half-way closes what it made; a disposed collection holds nothing.
/// Alone in its collection so no other test's fds move the count.</summary>
[Collection(nameof(FdCounting))]
public sealed class LeakTests
{
    [Fact]
    public void Dispose_closes_every_fd()
    {
        Kernel.RequireBpf();
        var spec = Fixtures.Open("clang19", "round_robin");
        var before = FdCount.Bpf();

        var collection = spec.Load();
        Assert.Equal(before + collection.Maps.Count + collection.Programs.Count, FdCount.Bpf());
        collection.Dispose();

        Assert.Equal(before, FdCount.Bpf());
    }

    [Fact]
    public void A_verifier_refusal_half_way_leaks_no_fd()
    {
        Kernel.RequireBpf();
        // socket_keep comes after three programs that load: their fds and the maps must be closed.
        var spec = BpfObjectSpec.From(BpfObject.Parse(LoadTests.BrokenProgram("socket_keep"), "multi_prog.o"));
        var before = FdCount.Bpf();

        Assert.Throws<BpfLoadException>(() => spec.Load());

        Assert.Equal(before, FdCount.Bpf());
    }

    [Fact]
    public void A_pin_failure_after_everything_loaded_leaks_no_fd_and_no_pin()
    {
        Kernel.RequireBpf();
        using var bpffs = new BpfFsFolder();
        var spec = Fixtures.Open("clang19", "subprograms");
        Directory.CreateDirectory(Path.Combine(bpffs.Path, "progs"));
        using (var squatter = Bpf.MapCreate(BpfMapType.Array, 4, 4, 1))
            Bpf.ObjPin(squatter, Path.Combine(bpffs.Path, "progs", "tc_with_calls")); // the last pin will find its name taken
        var before = FdCount.Bpf();

        var error = Assert.Throws<BpfLoadException>(() => spec.Load(new BpfLoadOptions { PinDirectory = bpffs.Path }));

        Assert.Equal(before, FdCount.Bpf());
        Assert.Contains("tc_with_calls", error.Message);
        Assert.Contains("EEXIST", error.Message);
        Assert.Equal(["tc_with_calls"], Directory.GetFiles(bpffs.Path, "*", SearchOption.AllDirectories).Select(Path.GetFileName));
    }

    [Fact]
    public void Pinning_outside_a_bpf_filesystem_fails_clearly_and_leaks_nothing()
    {
        Kernel.RequireBpf();
        var folder = Path.Combine(Path.GetTempPath(), "cpumap-not-bpffs-" + Guid.NewGuid().ToString("N")[..8]);
        var before = FdCount.Bpf();
        try
        {
            var error = Assert.Throws<BpfLoadException>(() => Fixtures.Open("clang19", "round_robin").Load(new BpfLoadOptions { PinDirectory = folder }));

            Assert.Contains("BPF filesystem", error.Message);
            Assert.Contains(folder, error.Message);
            Assert.Equal(before, FdCount.Bpf());
            Assert.False(Directory.Exists(folder));
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }
}
