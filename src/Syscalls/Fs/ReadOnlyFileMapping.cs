using System.Buffers;

namespace CpuMap.Managed.Syscalls;

/// <summary>
/// A whole file mapped read-only and private (mmap with PROT_READ and MAP_PRIVATE), seen as memory. For large files
/// that are read in place, such as the kernel's BTF (/sys/kernel/btf/vmlinux, several megabytes): sysfs hands that
/// file out at most a page per read(2), and the kernel maps its own pages into the process (Linux 6.16+), so a
/// mapping costs neither a thousand reads, nor a copy, nor resident memory charged to this process. Files that cannot
/// be mapped (an older kernel's sysfs file, a pipe, an empty file) give null from <see cref="TryMap"/>: read them
/// instead. The mapping lasts until disposed, never less: there is no finalizer (CA2015), since a span of it may
/// outlive every reference to this object, and unmapping under a span would crash the process.
/// </summary>
public sealed unsafe class ReadOnlyFileMapping : MemoryManager<byte>
{
    private void* _address;
    private readonly int _length;

    private ReadOnlyFileMapping(void* address, int length)
    {
        _address = address;
        _length = length;
    }

    /// <summary>
    /// Maps the whole of <paramref name="path"/>, or returns null with mmap's errno in <paramref name="errno"/> when the
    /// file cannot be mapped (EINVAL for an empty file or one whose size the file system does not tell, ESPIPE for a pipe,
    /// ENODEV for a file without mmap support, EFBIG for one of 2 GiB or more). The file is closed again either way.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">This process may not read it.</exception>
    /// <exception cref="IOException">It cannot be opened for another reason.</exception>
    public static ReadOnlyFileMapping? TryMap(string path, out Errno errno)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        long length;
        try
        {
            length = RandomAccess.GetLength(file);
        }
        catch (NotSupportedException)
        {
            errno = Errno.ESPIPE;
            return null;
        }
        if (length > Array.MaxLength)
        {
            errno = Errno.EFBIG;
            return null;
        }
        var address = Interop.Mmap(null, (nuint)length, Interop.PROT_READ, Interop.MAP_PRIVATE, (int)file.DangerousGetHandle(), 0);
        if (address == Interop.MapFailed)
        {
            errno = Errno.Last;
            return null;
        }
        errno = default;
        return new ReadOnlyFileMapping(address, (int)length);
    }

    /// <summary>The file's bytes, valid until this mapping is disposed.</summary>
    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(_address is null, this);
        return new Span<byte>(_address, _length);
    }

    /// <inheritdoc/>
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ObjectDisposedException.ThrowIf(_address is null, this);
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, _length);
        return new MemoryHandle((byte*)_address + elementIndex);
    }

    /// <summary>Nothing to do: the mapping never moves.</summary>
    public override void Unpin()
    {
    }

    /// <summary>Unmaps the file (once).</summary>
    protected override void Dispose(bool disposing)
    {
        var address = _address;
        _address = null;
        if (address is not null)
            _ = Interop.Munmap(address, (nuint)_length);
    }
}
