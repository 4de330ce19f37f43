using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

internal static unsafe partial class Interop
{
    /// <summary>sizeof(struct statfs) on x86-64 and arm64 (120), rounded up; f_type is its first field, a long on both.</summary>
    internal const int StatfsSize = 128;

    /// <summary>statfs(2) into a buffer of <see cref="StatfsSize"/> bytes.</summary>
    [LibraryImport("libc", EntryPoint = "statfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Statfs(string path, byte* buffer);
}
