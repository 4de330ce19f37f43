using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls.Maps;

/// <summary>
/// <c>struct bpf_cpumap_val</c>: a CPUMAP entry's value since Linux 5.9. On update
/// <see cref="BpfProgFd"/> names the remote program (0 or -1 for none); on lookup the kernel
/// answers its id in the same place.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct BpfCpumapVal
{
    /// <summary>The queue size: frames the remote CPU's ring holds (1..16384).</summary>
    [FieldOffset(0)] public uint Qsize;

    /// <summary><c>bpf_prog.fd</c>: the remote XDP program on update.</summary>
    [FieldOffset(4)] public int BpfProgFd;

    /// <summary><c>bpf_prog.id</c>: the remote XDP program's id on lookup (0: none).</summary>
    [FieldOffset(4)] public uint BpfProgId;
}
