using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

internal static partial class Interop
{
    internal const ulong MS_BIND = 4096, MS_REC = 16384, MS_SHARED = 1 << 20;

    /// <summary>mount(2).</summary>
    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Mount(string source, string target, string? fileSystemType, ulong flags, nint data);
}
