using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

internal static unsafe partial class Interop
{
    internal const int PROT_READ = 0x1, MAP_PRIVATE = 0x02;

    /// <summary>MAP_FAILED, mmap(2)'s answer on failure.</summary>
    internal static readonly void* MapFailed = (void*)-1;

    /// <summary>mmap(2).</summary>
    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    internal static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, long offset);

    /// <summary>munmap(2).</summary>
    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    internal static partial int Munmap(void* address, nuint length);
}
