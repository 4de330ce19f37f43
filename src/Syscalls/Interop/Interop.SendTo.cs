using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

internal static unsafe partial class Interop
{
    /// <summary>sendto(2).</summary>
    [LibraryImport("libc", EntryPoint = "sendto", SetLastError = true)]
    internal static partial nint SendTo(SafeHandle socket, void* buffer, nuint length, int flags, void* address, uint addressLength);
}
