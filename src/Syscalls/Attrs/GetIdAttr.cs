using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

/// <summary>The BPF_*_GET_FD_BY_ID and BPF_*_GET_NEXT_ID part of <c>union bpf_attr</c>.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct GetIdAttr
{
    [FieldOffset(0)] public uint StartId;
    [FieldOffset(0)] public uint ProgId;
    [FieldOffset(0)] public uint MapId;
    [FieldOffset(0)] public uint LinkId;
    [FieldOffset(4)] public uint NextId;
    [FieldOffset(8)] public BpfFileFlags OpenFlags;
}
