using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

internal static unsafe partial class Interop
{
    /// <summary>
    /// libc's variadic <c>syscall(long number, ...)</c>. Every argument is passed as a full
    /// 64-bit register, which is what the variadic promotion would do, so one fixed
    /// signature serves every bpf(2) command.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long arg1, void* arg2, long arg3);
}
