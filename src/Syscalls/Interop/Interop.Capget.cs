using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

internal static unsafe partial class Interop
{
    /// <summary>_LINUX_CAPABILITY_VERSION_3: two 32-bit words per set, so capabilities above 31 (CAP_BPF is 39) are seen.</summary>
    internal const uint LinuxCapabilityVersion3 = 0x20080522;

    [StructLayout(LayoutKind.Sequential)]
    internal struct CapUserHeader
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct CapUserData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    /// <summary>capget(2): the capability sets of a thread (pid 0: the caller); <paramref name="data"/> points at two records.</summary>
    [LibraryImport("libc", EntryPoint = "capget", SetLastError = true)]
    internal static partial int Capget(CapUserHeader* header, CapUserData* data);
}
