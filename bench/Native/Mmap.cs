using System.Runtime.InteropServices;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Bench.Native;

/// <summary>
/// A shared read-write mapping of a BPF_F_MMAPABLE array's values: the kernel backs it with the
/// map's own pages, so a store is an update that no system call sees.
/// </summary>
internal sealed unsafe partial class Mmap : IDisposable
{
    private const int ProtRead = 1, ProtWrite = 2, MapShared = 1;

    private Mmap(void* address, nuint length)
    {
        Address = address;
        Length = length;
    }

    internal void* Address { get; private set; }

    internal nuint Length { get; }

    /// <summary>Maps the values of <paramref name="map"/> (page-rounded, as the kernel requires).</summary>
    internal static Mmap Map(MapFd map)
    {
        var pageSize = (nuint)Environment.SystemPageSize;
        var length = ((nuint)map.ValueSize * map.MaxEntries + pageSize - 1) / pageSize * pageSize;
        var address = NativeMmap(null, length, ProtRead | ProtWrite, MapShared, map.Fd, 0);
        if (address == (void*)-1)
            throw new InvalidOperationException(
                $"mmap of the {map} failed with {Errno.Last.NameAndDescription}; only arrays created with BPF_F_MMAPABLE can be mapped.");
        return new Mmap(address, length);
    }

    public void Dispose()
    {
        if (Address is null)
            return;
        NativeMunmap(Address, Length);
        Address = null;
    }

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial void* NativeMmap(void* address, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int NativeMunmap(void* address, nuint length);
}
