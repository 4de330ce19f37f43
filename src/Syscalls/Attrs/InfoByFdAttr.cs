using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

/// <summary>The BPF_OBJ_GET_INFO_BY_FD part of <c>union bpf_attr</c> (<c>info</c>).</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct InfoByFdAttr
{
    [FieldOffset(0)] public int BpfFd;
    [FieldOffset(4)] public uint InfoLen;
    [FieldOffset(8)] public ulong Info;
}
