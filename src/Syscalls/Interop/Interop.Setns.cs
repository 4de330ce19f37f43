using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

internal static partial class Interop
{
    internal const int CLONE_NEWNET = 0x40000000;

    /// <summary>setns(2): moves the calling thread (not the process) into the namespace behind the fd.</summary>
    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    internal static partial int Setns(SafeHandle fd, int nstype);
}
