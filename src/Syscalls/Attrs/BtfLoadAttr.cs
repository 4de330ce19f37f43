using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

/// <summary>The BPF_BTF_LOAD part of <c>union bpf_attr</c>.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct BtfLoadAttr
{
    [FieldOffset(0)] public ulong Btf;
    [FieldOffset(8)] public ulong BtfLogBuf;
    [FieldOffset(16)] public uint BtfSize;
    [FieldOffset(20)] public uint BtfLogSize;
    [FieldOffset(24)] public uint BtfLogLevel;
    [FieldOffset(28)] public uint BtfLogTrueSize;
}
