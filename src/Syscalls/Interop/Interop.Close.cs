using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

internal static partial class Interop
{
    /// <summary>close(2). No SuppressGCTransition: closing the last fd of an XDP link detaches it under rtnl_lock, which can block.</summary>
    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);
}
