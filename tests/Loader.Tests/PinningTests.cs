namespace CpuMap.Managed.Loader.Tests;

/// <summary>A load with a pin folder leaves its objects pinned there, and Unpin takes them away again.</summary>
public sealed class PinningTests
{
    [Fact]
    public void Unpin_removes_the_pins_and_the_folders()
    {
        using var bpffs = new BpfFsFolder();
        using var collection = Fixtures.Open("clang19", "subprograms").Load(new BpfLoadOptions { PinDirectory = bpffs.Path });

        Assert.Equal(Path.Combine(bpffs.Path, "maps", "subprog_hits"), collection.GetMap("subprog_hits").PinPath);
        Assert.True(File.Exists(Path.Combine(bpffs.Path, "progs", "xdp_with_calls")));

        collection.Unpin();

        Assert.False(Directory.Exists(bpffs.Path));
        Assert.Null(collection.GetProgram("xdp_with_calls").PinPath);
        Assert.Null(collection.PinDirectory);
    }

    [Fact]
    public void Unpin_keeps_a_folder_the_caller_made()
    {
        using var bpffs = new BpfFsFolder();
        Directory.CreateDirectory(bpffs.Path);
        using var collection = Fixtures.Open("clang19", "round_robin").Load(new BpfLoadOptions { PinDirectory = bpffs.Path });

        collection.Unpin();

        Assert.True(Directory.Exists(bpffs.Path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(bpffs.Path));
    }
}
