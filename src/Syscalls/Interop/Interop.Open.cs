using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

internal static partial class Interop
{
    internal const int O_RDONLY = 0, O_CLOEXEC = 0x80000;

    /// <summary>
    /// open(2). Used instead of File.OpenHandle for namespace files, which .NET would fstat, lock
    /// and treat as regular files.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);
}
