using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

/// <summary>The BPF_PROG_LOAD part of <c>union bpf_attr</c>, up to log_true_size (Linux 6.4).</summary>
[StructLayout(LayoutKind.Explicit, Size = 144)]
internal struct ProgLoadAttr : IKernelLogAttr
{
    [FieldOffset(0)] public BpfProgType ProgType;
    [FieldOffset(4)] public uint InsnCnt;
    [FieldOffset(8)] public ulong Insns;
    [FieldOffset(16)] public ulong License;
    [FieldOffset(24)] public uint LogLevel;
    [FieldOffset(28)] public uint LogSize;
    [FieldOffset(32)] public ulong LogBuf;
    [FieldOffset(40)] public uint KernVersion;
    [FieldOffset(44)] public BpfProgFlags ProgFlags;
    [FieldOffset(48)] public BpfObjName ProgName;
    [FieldOffset(64)] public uint ProgIfindex;
    [FieldOffset(68)] public BpfAttachType ExpectedAttachType;
    [FieldOffset(72)] public int ProgBtfFd;
    [FieldOffset(76)] public uint FuncInfoRecSize;
    [FieldOffset(80)] public ulong FuncInfo;
    [FieldOffset(88)] public uint FuncInfoCnt;
    [FieldOffset(92)] public uint LineInfoRecSize;
    [FieldOffset(96)] public ulong LineInfo;
    [FieldOffset(104)] public uint LineInfoCnt;
    [FieldOffset(108)] public uint AttachBtfId;
    [FieldOffset(112)] public int AttachProgFd;
    [FieldOffset(116)] public uint CoreReloCnt;
    [FieldOffset(120)] public ulong FdArray;
    [FieldOffset(128)] public ulong CoreRelos;
    [FieldOffset(136)] public uint CoreReloRecSize;
    /// <summary>Written by kernels since 6.4: the log size the whole verifier log needs.</summary>
    [FieldOffset(140)] public uint LogTrueSize;

    void IKernelLogAttr.SetLog(uint level, uint size, ulong buffer) => (LogLevel, LogSize, LogBuf, LogTrueSize) = (level, size, buffer, 0);

    readonly uint IKernelLogAttr.LogTrueSize => LogTrueSize;
}
