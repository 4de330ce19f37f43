using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

internal static unsafe partial class Interop
{
    internal const int IF_NAMESIZE = 16;

    /// <summary>if_indextoname(3): writes up to IF_NAMESIZE bytes; null with errno ENXIO when there is no such device.</summary>
    [LibraryImport("libc", EntryPoint = "if_indextoname", SetLastError = true)]
    internal static partial byte* IfIndexToName(uint index, byte* name);
}
