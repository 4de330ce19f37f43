using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

/// <summary>The BPF_OBJ_PIN and BPF_OBJ_GET part of <c>union bpf_attr</c>.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
internal struct ObjPinAttr
{
    [FieldOffset(0)] public ulong Pathname;
    [FieldOffset(8)] public int BpfFd;
    [FieldOffset(12)] public BpfFileFlags FileFlags;
    [FieldOffset(16)] public int PathFd;
}
