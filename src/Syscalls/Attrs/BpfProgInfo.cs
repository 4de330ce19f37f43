using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

/// <summary>
/// <c>struct bpf_prog_info</c>, as BPF_OBJ_GET_INFO_BY_FD fills it for a program. The kernel does
/// not report the expected attach type or the program flags (e.g. BPF_F_XDP_HAS_FRAGS) here.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 232)]
public struct BpfProgInfo
{
    /// <summary><c>type</c>: the program type.</summary>
    [FieldOffset(0)] public BpfProgType Type;
    /// <summary><c>id</c>: the program's ID.</summary>
    [FieldOffset(4)] public uint Id;
    /// <summary><c>tag</c>: the hash of the program's instructions.</summary>
    [FieldOffset(8)] public BpfProgTag Tag;
    /// <summary><c>jited_prog_len</c>: bytes of JITed machine code.</summary>
    [FieldOffset(16)] public uint JitedProgLen;
    /// <summary><c>xlated_prog_len</c>: bytes of instructions after the verifier rewrote them.</summary>
    [FieldOffset(20)] public uint XlatedProgLen;
    /// <summary><c>jited_prog_insns</c>: user pointer to a buffer for the JITed code.</summary>
    [FieldOffset(24)] public ulong JitedProgInsns;
    /// <summary><c>xlated_prog_insns</c>: user pointer to a buffer for the rewritten instructions.</summary>
    [FieldOffset(32)] public ulong XlatedProgInsns;
    /// <summary><c>load_time</c>: when the program was loaded, in ns since boot.</summary>
    [FieldOffset(40)] public ulong LoadTime;
    /// <summary><c>created_by_uid</c>: the uid that loaded the program.</summary>
    [FieldOffset(48)] public uint CreatedByUid;
    /// <summary><c>nr_map_ids</c>: how many map IDs the program uses (in: room in <see cref="MapIds"/>).</summary>
    [FieldOffset(52)] public uint NrMapIds;
    /// <summary><c>map_ids</c>: user pointer to a u32 array for the IDs of the maps the program uses.</summary>
    [FieldOffset(56)] public ulong MapIds;
    /// <summary><c>name</c>: the program name given at load.</summary>
    [FieldOffset(64)] public BpfObjName Name;
    /// <summary><c>ifindex</c>: the device of an offloaded program (0 when not offloaded).</summary>
    [FieldOffset(80)] public uint Ifindex;
    /// <summary>Holds the bit field <c>gpl_compatible:1</c>; read it through <see cref="GplCompatible"/>.</summary>
    [FieldOffset(84)] public uint Bitfields;
    /// <summary><c>netns_dev</c>: the device number of the offload device's network namespace.</summary>
    [FieldOffset(88)] public ulong NetnsDev;
    /// <summary><c>netns_ino</c>: the inode of the offload device's network namespace.</summary>
    [FieldOffset(96)] public ulong NetnsIno;
    /// <summary><c>nr_jited_ksyms</c>: how many kernel symbols the JITed functions have.</summary>
    [FieldOffset(104)] public uint NrJitedKsyms;
    /// <summary><c>nr_jited_func_lens</c>: how many JITed function lengths there are.</summary>
    [FieldOffset(108)] public uint NrJitedFuncLens;
    /// <summary><c>jited_ksyms</c>: user pointer to a u64 array for the JITed functions' addresses.</summary>
    [FieldOffset(112)] public ulong JitedKsyms;
    /// <summary><c>jited_func_lens</c>: user pointer to a u32 array for the JITed functions' lengths.</summary>
    [FieldOffset(120)] public ulong JitedFuncLens;
    /// <summary><c>btf_id</c>: the ID of the program's BTF (0 when it has none).</summary>
    [FieldOffset(128)] public uint BtfId;
    /// <summary><c>func_info_rec_size</c>: bytes of one bpf_func_info record.</summary>
    [FieldOffset(132)] public uint FuncInfoRecSize;
    /// <summary><c>func_info</c>: user pointer to a buffer for the bpf_func_info records.</summary>
    [FieldOffset(136)] public ulong FuncInfo;
    /// <summary><c>nr_func_info</c>: how many bpf_func_info records there are.</summary>
    [FieldOffset(144)] public uint NrFuncInfo;
    /// <summary><c>nr_line_info</c>: how many bpf_line_info records there are.</summary>
    [FieldOffset(148)] public uint NrLineInfo;
    /// <summary><c>line_info</c>: user pointer to a buffer for the bpf_line_info records.</summary>
    [FieldOffset(152)] public ulong LineInfo;
    /// <summary><c>jited_line_info</c>: user pointer to a u64 array for the JITed addresses of the line info.</summary>
    [FieldOffset(160)] public ulong JitedLineInfo;
    /// <summary><c>nr_jited_line_info</c>: how many JITed line info addresses there are.</summary>
    [FieldOffset(168)] public uint NrJitedLineInfo;
    /// <summary><c>line_info_rec_size</c>: bytes of one bpf_line_info record.</summary>
    [FieldOffset(172)] public uint LineInfoRecSize;
    /// <summary><c>jited_line_info_rec_size</c>: bytes of one JITed line info address.</summary>
    [FieldOffset(176)] public uint JitedLineInfoRecSize;
    /// <summary><c>nr_prog_tags</c>: how many tags there are, one per function.</summary>
    [FieldOffset(180)] public uint NrProgTags;
    /// <summary><c>prog_tags</c>: user pointer to a buffer for the tags of each function.</summary>
    [FieldOffset(184)] public ulong ProgTags;
    /// <summary><c>run_time_ns</c>: total run time in ns while BPF_ENABLE_STATS (or kernel.bpf_stats_enabled) was on.</summary>
    [FieldOffset(192)] public ulong RunTimeNs;
    /// <summary><c>run_cnt</c>: runs counted while statistics were on.</summary>
    [FieldOffset(200)] public ulong RunCnt;
    /// <summary><c>recursion_misses</c>: runs skipped because the program was already running on that CPU.</summary>
    [FieldOffset(208)] public ulong RecursionMisses;
    /// <summary><c>verified_insns</c>: instructions the verifier processed.</summary>
    [FieldOffset(216)] public uint VerifiedInsns;
    /// <summary><c>attach_btf_obj_id</c>: the ID of the BTF object (vmlinux or module) of the attach target.</summary>
    [FieldOffset(220)] public uint AttachBtfObjId;
    /// <summary><c>attach_btf_id</c>: the BTF type ID of the attach target.</summary>
    [FieldOffset(224)] public uint AttachBtfId;

    /// <summary>Whether the program was loaded with a GPL-compatible license.</summary>
    public readonly bool GplCompatible => (Bitfields & 1) != 0;
}
