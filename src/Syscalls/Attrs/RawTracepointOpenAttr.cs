using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

/// <summary>The BPF_RAW_TRACEPOINT_OPEN part of <c>union bpf_attr</c> (<c>raw_tracepoint</c>).</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
internal struct RawTracepointOpenAttr
{
    /// <summary>A pointer to the tracepoint's NUL-terminated name, e.g. <c>xdp_cpumap_enqueue</c>.</summary>
    [FieldOffset(0)] public ulong Name;
    [FieldOffset(8)] public int ProgFd;
    [FieldOffset(16)] public ulong Cookie;
}
