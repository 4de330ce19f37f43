using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Syscalls.Tests;

/// <summary>ReadOnlyFileMapping: a whole file mapped in place, and the files mmap refuses, which callers then read.</summary>
public sealed class ReadOnlyFileMappingTests
{
    [Fact]
    public unsafe void A_file_is_mapped_whole_without_keeping_it_open_and_unmapped_on_dispose()
    {
        var path = Path.Combine(Path.GetTempPath(), "cpumap-mapping-" + Guid.NewGuid().ToString("N"));
        var bytes = new byte[3 * 4096 + 123];
        Random.Shared.NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        try
        {
            var mapping = ReadOnlyFileMapping.TryMap(path, out var errno);

            Assert.NotNull(mapping);
            Assert.Equal(default, errno);
            Assert.True(mapping.Memory.Span.SequenceEqual(bytes));
            Assert.Contains(path, File.ReadAllText("/proc/self/maps"));
            Assert.DoesNotContain(path, OpenFiles()); // mapped, not held open
            using (var pinned = mapping.Memory.Pin())
                Assert.Equal(bytes[0], *(byte*)pinned.Pointer);
            Assert.Throws<ArgumentOutOfRangeException>(() => mapping.Pin(-1));
            Assert.Throws<ArgumentOutOfRangeException>(() => mapping.Pin(bytes.Length + 1));

            ((IDisposable)mapping).Dispose();

            Assert.DoesNotContain(path, File.ReadAllText("/proc/self/maps"));
            Assert.Throws<ObjectDisposedException>(() => mapping.Memory.Span.Length);
            Assert.Throws<ObjectDisposedException>(() => mapping.Pin());
            ((IDisposable)mapping).Dispose(); // twice is harmless
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_kernel_btf_is_mapped_where_the_kernel_allows_it()
    {
        const string vmlinux = "/sys/kernel/btf/vmlinux";
        if (!File.Exists(vmlinux))
            Kernel.Unavailable($"{vmlinux} is missing: the kernel was built without CONFIG_DEBUG_INFO_BTF");
        var mapping = ReadOnlyFileMapping.TryMap(vmlinux, out var errno);
        if (mapping is null && errno == Errno.ENODEV)
            Kernel.Unavailable($"this kernel ({Environment.OSVersion.Version}) cannot map {vmlinux} (Linux 6.16+ can): {errno}");

        Assert.NotNull(mapping);
        using (mapping)
        {
            Assert.Equal(new FileInfo(vmlinux).Length, mapping.Memory.Length);
            Assert.Equal([0x9f, 0xeb, 1], mapping.Memory.Span[..3].ToArray()); // BTF's magic and version
            var sum = 0;
            for (var at = 0; at < mapping.Memory.Length; at += 4096)
                sum += mapping.Memory.Span[at];
            Assert.True(sum > 0);
            // Every page read, and none of them resident in this process: they are the kernel's own, mapped in.
            var smaps = File.ReadAllText("/proc/self/smaps");
            var block = smaps[smaps.IndexOf(vmlinux, StringComparison.Ordinal)..];
            Assert.Matches(@"^\S+\n(?:.*\n)*?Rss:\s+0 kB\n", block);
        }
    }

    [Theory]
    [InlineData("/sys/devices/system/cpu/possible", Errno.ENODEV)] // a sysfs file without mmap: 4096 bytes by fstat
    [InlineData("/proc/self/status", Errno.EINVAL)]                 // procfs tells no size: a mapping of 0 bytes
    public void Files_mmap_refuses_give_null_and_the_errno_without_a_leaked_fd(string path, Errno expected)
    {
        var mapping = ReadOnlyFileMapping.TryMap(path, out var errno);

        Assert.Null(mapping);
        Assert.Equal(expected, errno);
        Assert.NotEmpty(File.ReadAllText(path)); // what callers do instead: read it
        Assert.DoesNotContain(path.Replace("/proc/self/", $"/proc/{Environment.ProcessId}/"), OpenFiles());
    }

    [Fact]
    public void An_empty_file_gives_einval_and_bad_paths_are_refused_by_name()
    {
        var empty = Path.GetTempFileName();
        try
        {
            Assert.Null(ReadOnlyFileMapping.TryMap(empty, out var errno));
            Assert.Equal(Errno.EINVAL, errno);
        }
        finally
        {
            File.Delete(empty);
        }
        var missing = Path.Combine(Path.GetTempPath(), "cpumap-no-such-" + Guid.NewGuid().ToString("N"));
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => ReadOnlyFileMapping.TryMap(missing, out _)).Message);
        Assert.Throws<UnauthorizedAccessException>(() => ReadOnlyFileMapping.TryMap(Path.GetTempPath(), out _)); // a directory
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => ReadOnlyFileMapping.TryMap("", out _)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => ReadOnlyFileMapping.TryMap(null!, out _)).ParamName);
    }

    private static List<string> OpenFiles() =>
        [.. Directory.GetFiles("/proc/self/fd").Select(fd => new FileInfo(fd).LinkTarget).OfType<string>()];
}
