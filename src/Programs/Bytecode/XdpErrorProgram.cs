using BpfAsm;
using static BpfAsm.Register;
using CpuMap.Managed.Programs.Tracing;

namespace CpuMap.Managed.Programs.Bytecode;

/// <summary>
/// Counts the kernel's XDP error events, per CPU: a BPF_PROG_TYPE_RAW_TRACEPOINT program for
/// <c>xdp:xdp_redirect_err</c> (a redirect that failed; Linux 6.x folds the older xdp_redirect_map_err into it) and one
/// for <c>xdp:xdp_exception</c> (XDP_ABORTED or an invalid action), as xdp-bench counts them. Both tracepoints'
/// second C argument (TP_PROTO, what a raw tracepoint's context holds) is the <c>struct bpf_prog *</c> that ran;
/// when <see cref="ProgIdMap"/> holds a program id, only that program's events count, so that the errors shown for a
/// device are its program's, not the whole machine's. The id is <c>prog->aux->id</c>, read with
/// bpf_probe_read_kernel at the offsets the kernel's own BTF gives (<see cref="XdpErrorCounter"/> looks them up,
/// the way CO-RE would). In C, with <c>EVENT</c> the slot of <see cref="XdpErrorCounters"/>:
/// <code>
/// int count(__u64 *args)
/// {
///     __u32 key = EVENT;
///     if (prog_id) {
///         struct bpf_prog_aux *aux; __u32 id;
///         if (bpf_probe_read_kernel(&amp;aux, 8, (void *)args[1] + AUX_OFFSET)) return 0;
///         if (bpf_probe_read_kernel(&amp;id, 4, (void *)aux + ID_OFFSET) || id != prog_id) return 0;
///     }
///     __u64 *v = bpf_map_lookup_elem(&amp;xdp_errors, &amp;key);
///     if (v) *v += 1;
///     return 0;
/// }
/// </code>
/// </summary>
public static class XdpErrorProgram
{
    /// <summary>The tracepoints, and the key of each one's counter in <see cref="ErrorsMap"/>.</summary>
    public const string RedirectErrTracepoint = "xdp_redirect_err", RedirectMapErrTracepoint = "xdp_redirect_map_err", ExceptionTracepoint = "xdp_exception";

    /// <summary>Keys of <see cref="ErrorsMap"/>.</summary>
    public const uint RedirectErrorKey = 0, ExceptionKey = 1;

    /// <summary>BPF_MAP_TYPE_PERCPU_ARRAY, two __u64 keys (<see cref="RedirectErrorKey"/>, <see cref="ExceptionKey"/>).</summary>
    public const string ErrorsMap = "xdp_errors";

    /// <summary>BPF_MAP_TYPE_ARRAY, one __u32 (global data): the XDP program id whose events count, 0 for every program's.</summary>
    public const string ProgIdMap = "xdp_prog_id";

    /// <summary>Builds the program that counts into key <paramref name="key"/>.</summary>
    /// <param name="key"><see cref="RedirectErrorKey"/> or <see cref="ExceptionKey"/>.</param>
    /// <param name="auxOffset">offsetof(struct bpf_prog, aux) in the running kernel.</param>
    /// <param name="idOffset">offsetof(struct bpf_prog_aux, id) in the running kernel.</param>
    public static BpfProgram Build(uint key, short auxOffset, short idOffset)
    {
        var p = new ProgramBuilder(key == ExceptionKey ? ExceptionTracepoint : RedirectErrTracepoint);
        p.Mov(R6, R1);                                  // args
        p.LoadMapValue(R7, ProgIdMap);
        p.Load(R7, Mem.U32(R7));                        // prog_id
        p.JumpIf(W7 == 0, "count");
        p.Load(R3, Mem.U64(R6, 8));                     // args[1]: const struct bpf_prog *
        p.Add(R3, auxOffset);
        p.Mov(R1, R10).Add(R1, -16);
        p.Mov(R2, 8);
        p.Call(BpfHelper.ProbeReadKernel);              // aux = prog->aux
        p.JumpIf(R0 != 0, "out");
        p.Load(R3, Mem.U64(R10, -16));
        p.Add(R3, idOffset);
        p.Mov(R1, R10).Add(R1, -16);
        p.Mov(R2, 4);
        p.Call(BpfHelper.ProbeReadKernel);              // id = aux->id
        p.JumpIf(R0 != 0, "out");
        p.Load(R1, Mem.U32(R10, -16));
        p.JumpIf(W1 != W7, "out");
        p.Label("count");
        p.Store(Mem.U32(R10, -4), (int)key);
        p.Mov(R2, R10).Add(R2, -4);
        p.LoadMapFd(R1, ErrorsMap);
        p.Call(BpfHelper.MapLookupElem);
        p.JumpIf(R0 == 0, "out");
        p.Load(R1, Mem.U64(R0));
        p.Add(R1, 1).Store(Mem.U64(R0), R1);
        p.Label("out");
        p.Return(0);
        return p.Build();
    }
}
