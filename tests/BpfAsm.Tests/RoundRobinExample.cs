using static BpfAsm.Register;

namespace BpfAsm.Tests;

/// <summary>
/// The seed's round-robin CPUMAP redirect (shared/seed/cpumap-seed.txt) written with the DSL, C line by C
/// line. The CPU count is the read-only global <c>nr_cpus</c> (offset 0 of the <c>.rodata</c> map), since
/// <c>bpf_num_possible_cpus()</c> exists only in user space. src/Programs holds the loadable version.
/// </summary>
internal static class RoundRobinExample
{
    private const int XDP_ABORTED = 0;

    public static BpfProgram Build()
    {
        var p = new ProgramBuilder("xdp_redir_cpu_round_robin");
        // __u32 key = 0;
        p.Store(Mem.U32(R10, -4), 0);
        // cpu_iterator = bpf_map_lookup_elem(&cpus_iterator, &key);
        p.LoadMapFd(R1, "cpus_iterator");
        p.Mov(R2, R10).Add(R2, -4);
        p.Call(BpfHelper.MapLookupElem);
        // if (!cpu_iterator) return XDP_ABORTED;
        p.JumpIf(R0 == 0, "aborted");
        // cpu_idx = *cpu_iterator;
        p.Load(W6, Mem.U32(R0));
        // *cpu_iterator += 1; if (*cpu_iterator == nr_cpus) *cpu_iterator = 0;
        p.LoadMapValue(R1, ".rodata", offset: 0);
        p.Load(W7, Mem.U32(R1));
        p.Mov(W1, W6).Add(W1, 1);
        p.JumpIf(W1 != W7, "store_iterator");
        p.Mov(W1, 0);
        p.Label("store_iterator");
        p.Store(Mem.U32(R0), W1);
        // cpu_selected = bpf_map_lookup_elem(&cpus_available, &cpu_idx);
        p.Store(Mem.U32(R10, -4), W6);
        p.LoadMapFd(R1, "cpus_available");
        p.Mov(R2, R10).Add(R2, -4);
        p.Call(BpfHelper.MapLookupElem);
        // if (!cpu_selected) return XDP_ABORTED;
        p.JumpIf(R0 == 0, "aborted");
        // cpu_dest = *cpu_selected; if (cpu_dest >= nr_cpus) return XDP_ABORTED;
        p.Load(W2, Mem.U32(R0));
        p.JumpIf(W2 >= W7, "aborted");
        // return bpf_redirect_map(&cpu_map, cpu_dest, 0);
        p.LoadMapFd(R1, "cpu_map");
        p.Mov(R3, 0);
        p.Call(BpfHelper.RedirectMap);
        p.Exit();
        p.Label("aborted");
        p.Return(XDP_ABORTED);
        return p.Build();
    }
}
