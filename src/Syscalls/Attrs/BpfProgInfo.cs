using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

/// <summary>
/// <c>struct bpf_prog_info</c>, as BPF_OBJ_GET_INFO_BY_FD fills it for a program. The kernel does
/// not report the expected attach type or the program flags (e.g. BPF_F_XDP_HAS_FRAGS) here.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 232)]
public struct BpfProgInfo
{
    [FieldOffset(0)] public BpfProgType Type;
    [FieldOffset(4)] public uint Id;
    [FieldOffset(8)] public BpfProgTag Tag;
    [FieldOffset(16)] public uint JitedProgLen;
    [FieldOffset(20)] public uint XlatedProgLen;
    [FieldOffset(24)] public ulong JitedProgInsns;
    [FieldOffset(32)] public ulong XlatedProgInsns;
    [FieldOffset(40)] public ulong LoadTime;
    [FieldOffset(48)] public uint CreatedByUid;
    [FieldOffset(52)] public uint NrMapIds;
    [FieldOffset(56)] public ulong MapIds;
    [FieldOffset(64)] public BpfObjName Name;
    [FieldOffset(80)] public uint Ifindex;
    /// <summary>Holds the bit field <c>gpl_compatible:1</c>; read it through <see cref="GplCompatible"/>.</summary>
    [FieldOffset(84)] public uint Bitfields;
    [FieldOffset(88)] public ulong NetnsDev;
    [FieldOffset(96)] public ulong NetnsIno;
    [FieldOffset(104)] public uint NrJitedKsyms;
    [FieldOffset(108)] public uint NrJitedFuncLens;
    [FieldOffset(112)] public ulong JitedKsyms;
    [FieldOffset(120)] public ulong JitedFuncLens;
    [FieldOffset(128)] public uint BtfId;
    [FieldOffset(132)] public uint FuncInfoRecSize;
    [FieldOffset(136)] public ulong FuncInfo;
    [FieldOffset(144)] public uint NrFuncInfo;
    [FieldOffset(148)] public uint NrLineInfo;
    [FieldOffset(152)] public ulong LineInfo;
    [FieldOffset(160)] public ulong JitedLineInfo;
    [FieldOffset(168)] public uint NrJitedLineInfo;
    [FieldOffset(172)] public uint LineInfoRecSize;
    [FieldOffset(176)] public uint JitedLineInfoRecSize;
    [FieldOffset(180)] public uint NrProgTags;
    [FieldOffset(184)] public ulong ProgTags;
    [FieldOffset(192)] public ulong RunTimeNs;
    [FieldOffset(200)] public ulong RunCnt;
    [FieldOffset(208)] public ulong RecursionMisses;
    [FieldOffset(216)] public uint VerifiedInsns;
    [FieldOffset(220)] public uint AttachBtfObjId;
    [FieldOffset(224)] public uint AttachBtfId;

    /// <summary>Whether the program was loaded with a GPL-compatible license.</summary>
    public readonly bool GplCompatible => (Bitfields & 1) != 0;
}
