using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

/// <summary>struct bpf_btf_info, as BPF_OBJ_GET_INFO_BY_FD fills it for a BTF fd.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct BpfBtfInfo
{
    [FieldOffset(0)] public ulong Btf;
    [FieldOffset(8)] public uint BtfSize;
    [FieldOffset(12)] public uint Id;
    [FieldOffset(16)] public ulong Name;
    [FieldOffset(24)] public uint NameLen;
    [FieldOffset(28)] public uint KernelBtf;
}
