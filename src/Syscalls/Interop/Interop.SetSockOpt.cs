using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

internal static unsafe partial class Interop
{
    internal const int SOL_NETLINK = 270;
    internal const int NETLINK_CAP_ACK = 10;
    internal const int NETLINK_EXT_ACK = 11;

    /// <summary>setsockopt(2).</summary>
    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    internal static partial int SetSockOpt(SafeHandle socket, int level, int name, void* value, uint length);
}
