using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

/// <summary>The BPF_BTF_LOAD part of <c>union bpf_attr</c>.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct BtfLoadAttr : IKernelLogAttr
{
    [FieldOffset(0)] public ulong Btf;
    [FieldOffset(8)] public ulong BtfLogBuf;
    [FieldOffset(16)] public uint BtfSize;
    [FieldOffset(20)] public uint BtfLogSize;
    [FieldOffset(24)] public uint BtfLogLevel;
    [FieldOffset(28)] public uint BtfLogTrueSize;

    void IKernelLogAttr.SetLog(uint level, uint size, ulong buffer) => (BtfLogLevel, BtfLogSize, BtfLogBuf, BtfLogTrueSize) = (level, size, buffer, 0);

    readonly uint IKernelLogAttr.LogTrueSize => BtfLogTrueSize;
}
