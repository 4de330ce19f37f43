using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

internal static partial class Interop
{
    internal const int AF_NETLINK = 16;
    internal const int SOCK_RAW = 3;
    internal const int SOCK_CLOEXEC = 0x80000;
    internal const int NETLINK_ROUTE = 0;

    /// <summary>socket(2). The socket belongs to the calling thread's network namespace for its whole life.</summary>
    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);
}
