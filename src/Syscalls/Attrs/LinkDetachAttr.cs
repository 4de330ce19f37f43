using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

/// <summary>The BPF_LINK_DETACH part of <c>union bpf_attr</c> (<c>link_detach</c>).</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
internal struct LinkDetachAttr
{
    [FieldOffset(0)] public int LinkFd;
}
