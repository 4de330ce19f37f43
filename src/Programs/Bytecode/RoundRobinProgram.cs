using BpfAsm;
using static BpfAsm.Register;
using CpuMap.Managed.Programs.Redirect;

namespace CpuMap.Managed.Programs.Bytecode;

/// <summary>
/// The seed's round-robin CPUMAP redirect (xdp_redir_cpu_round_robin), written with the bpfasm DSL.
/// Each statement of the C stands beside the instructions it became. Maps are referenced by the
/// seed's names; <see cref="RoundRobinRedirect"/> creates them and binds them at load.
/// </summary>
/// <remarks>
/// Two changes from the seed, neither visible to a frame:
/// <list type="bullet">
/// <item><c>bpf_num_possible_cpus()</c> is a user-space function, not a BPF helper: the iterator wraps
/// at <see cref="NrCpusMap"/>, the number of configured CPUs, read as global data (one-entry array,
/// <c>BPF_PSEUDO_MAP_VALUE</c>: no lookup call). It wraps on <c>&gt;=</c> rather than <c>==</c>, so an
/// iterator left beyond a list that was just shortened comes back to 0 instead of running away.</item>
/// <item><c>if (cpu_dest &gt;= bpf_num_possible_cpus()) return XDP_ABORTED;</c> is left to the kernel:
/// <c>bpf_redirect_map</c> looks the key up itself, and a key at or above <c>cpu_map</c>'s max_entries
/// (one per possible CPU) or without an entry returns the low bits of flags, 0 = XDP_ABORTED.</item>
/// </list>
/// The result is 28 instruction slots; clang -O2 makes 38 (clang 19) or 39 (clang 14) of the same C.
/// </remarks>
public static class RoundRobinProgram
{
    /// <summary>The program's name, as in the seed.</summary>
    public const string Name = "xdp_redir_cpu_round_robin";

    /// <summary>BPF_MAP_TYPE_CPUMAP: key CPU, value <c>struct bpf_cpumap_val</c>.</summary>
    public const string CpuMapMap = "cpu_map";

    /// <summary>BPF_MAP_TYPE_ARRAY: key position in the CPU list, value the CPU.</summary>
    public const string CpusAvailableMap = "cpus_available";

    /// <summary>BPF_MAP_TYPE_PERCPU_ARRAY, one entry: each CPU's position in the list.</summary>
    public const string CpusIteratorMap = "cpus_iterator";

    /// <summary>BPF_MAP_TYPE_ARRAY, one entry (global data): the number of configured CPUs.</summary>
    public const string NrCpusMap = "nr_cpus";

    /// <summary>Builds the program; its map references are by the names above.</summary>
    /// <param name="countStats">
    /// Also count every frame in <see cref="RedirectStats"/> (received, redirected, errors): one more map
    /// lookup and three adds per frame. Without it the program is the seed's, instruction for instruction.
    /// </param>
    public static BpfProgram Build(bool countStats = false)
    {
        var p = new ProgramBuilder(Name);
        if (countStats)
            RedirectStats.EmitLookup(p);
        // The stack slot at r10 - 4 holds key, then cpu_idx: each is dead before the next is stored.
        const short key = -4, cpuIdx = -4;

        p.Store(Mem.U32(R10, key), 0);                  // __u32 key = 0;
        p.Mov(R2, R10).Add(R2, key);                    // cpu_iterator = bpf_map_lookup_elem(&cpus_iterator, &key);
        p.LoadMapFd(R1, CpusIteratorMap);
        p.Call(BpfHelper.MapLookupElem);
        p.JumpIf(R0 == 0, "out");                       // if (!cpu_iterator) return XDP_ABORTED;  (r0 is 0 = XDP_ABORTED)
        p.Load(R1, Mem.U32(R0));                        // cpu_idx = *cpu_iterator;
        p.Store(Mem.U32(R10, cpuIdx), R1);
        // The new position is worked out in w1 and stored once, where clang stores it twice.
        p.Add(W1, 1);                                   // *cpu_iterator += 1;
        p.LoadMapValue(R2, NrCpusMap);                  // if (*cpu_iterator >= nr_cpus)
        p.Load(R2, Mem.U32(R2));
        p.JumpIf(W1 < W2, "store");
        p.Mov(W1, 0);                                   //     *cpu_iterator = 0;
        p.Label("store");
        p.Store(Mem.U32(R0), R1);
        p.Mov(R2, R10).Add(R2, cpuIdx);                 // cpu_selected = bpf_map_lookup_elem(&cpus_available, &cpu_idx);
        p.LoadMapFd(R1, CpusAvailableMap);
        p.Call(BpfHelper.MapLookupElem);
        p.JumpIf(R0 == 0, "out");                       // if (!cpu_selected) return XDP_ABORTED;
        p.Load(R2, Mem.U32(R0));                        // cpu_dest = *cpu_selected;
        p.LoadMapFd(R1, CpuMapMap);                     // return bpf_redirect_map(&cpu_map, cpu_dest, 0);
        p.Mov(R3, 0);
        p.Call(BpfHelper.RedirectMap);
        p.Label("out");
        if (countStats)
            RedirectStats.EmitCountAndExit(p);
        else
            p.Exit();
        return p.Build();
    }
}
