using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

internal static partial class Interop
{
    internal const int MNT_DETACH = 2;

    /// <summary>umount2(2).</summary>
    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Umount2(string target, int flags);
}
