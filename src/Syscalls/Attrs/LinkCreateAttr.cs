using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

/// <summary>The BPF_LINK_CREATE part of <c>union bpf_attr</c> (<c>link_create</c>), the fields an XDP link uses.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct LinkCreateAttr
{
    [FieldOffset(0)] public int ProgFd;
    [FieldOffset(4)] public int TargetFd;
    [FieldOffset(4)] public int TargetIfindex;
    [FieldOffset(8)] public BpfAttachType AttachType;
    [FieldOffset(12)] public uint Flags;
}
