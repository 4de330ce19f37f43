using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

internal static unsafe partial class Interop
{
    /// <summary>struct sockaddr_nl: nl_pid 0 lets the kernel pick a unique port id.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SockaddrNl
    {
        public ushort Family;
        public ushort Pad;
        public uint Pid;
        public uint Groups;
    }

    /// <summary>bind(2).</summary>
    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    internal static partial int Bind(SafeHandle socket, void* address, uint addressLength);
}
