using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

internal static partial class Interop
{
    /// <summary>unshare(2): with CLONE_NEWNET, moves the calling thread into a new network namespace.</summary>
    [LibraryImport("libc", EntryPoint = "unshare", SetLastError = true)]
    internal static partial int Unshare(int flags);
}
