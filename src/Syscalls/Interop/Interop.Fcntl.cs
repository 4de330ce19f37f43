using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

internal static partial class Interop
{
    internal const int F_DUPFD_CLOEXEC = 1030;

    /// <summary>fcntl(2) with an int argument (F_DUPFD_CLOEXEC).</summary>
    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int command, int argument);
}
