using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Syscalls.Tests;

/// <summary>BpfFs: the statfs test of "is this a BPF filesystem", and where pinning may mount one.</summary>
public sealed class BpfFsTests
{
    [Fact]
    public void A_bpffs_is_told_from_other_filesystems_by_its_magic_down_to_folders_not_yet_made()
    {
        Kernel.RequireBpf();
        using var bpffs = new PrivateBpfFs();
        Assert.True(BpfFs.Contains(bpffs.Path));
        Assert.True(BpfFs.Contains(Path.Combine(bpffs.Path, "not", "made", "yet")));
        Assert.Null(BpfFs.EnsureFor(Path.Combine(bpffs.Path, "pins"))); // already a bpffs: nothing mounted
        Assert.False(BpfFs.Contains(Path.GetTempPath()));
        Assert.False(BpfFs.Contains("/proc/self"));
    }

    [Fact]
    public void Pinning_outside_a_bpffs_and_outside_sys_fs_bpf_is_refused_with_what_to_do()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cpumap-pins-" + Guid.NewGuid().ToString("N")[..8]);
        var e = Assert.Throws<BpfOperationException>(() => BpfFs.EnsureFor(folder));
        Assert.Null(e.Errno);
        Assert.Equal($"{folder} is not on a BPF filesystem, so nothing can be pinned there. Pin under /sys/fs/bpf (a BPF filesystem " +
                     $"is mounted there when none is), or mount one first: 'mount -t bpf bpf {Path.GetTempPath().TrimEnd('/')}'.", e.Message);
        Assert.False(Directory.Exists(folder));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void An_empty_path_is_refused_by_name(string? path)
    {
        Assert.Equal("path", Assert.ThrowsAny<ArgumentException>(() => BpfFs.Contains(path!)).ParamName);
        Assert.Equal("directory", Assert.ThrowsAny<ArgumentException>(() => BpfFs.EnsureFor(path!)).ParamName);
    }
}
