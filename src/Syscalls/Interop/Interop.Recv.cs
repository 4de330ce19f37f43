using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

internal static unsafe partial class Interop
{
    internal const int MSG_PEEK = 0x2, MSG_TRUNC = 0x20;

    /// <summary>recv(2).</summary>
    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    internal static partial nint Recv(SafeHandle socket, void* buffer, nuint length, int flags);
}
