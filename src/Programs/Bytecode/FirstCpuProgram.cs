using BpfAsm;
using CpuMap.Managed.Syscalls;
using static BpfAsm.Register;
using CpuMap.Managed.Programs.Redirect;

namespace CpuMap.Managed.Programs.Bytecode;

/// <summary>
/// xdp-bench redirect-cpu's no-touch and touch modes, written with the bpfasm DSL: every frame goes to
/// the first CPU of the list. no-touch never reads the frame (the cost of the redirect itself, with the data
/// still cold in the cache); touch reads the EtherType first, as any real program must, and drops 802.3 frames,
/// whose EtherType field is a length (below 0x0600). A frame shorter than its Ethernet header is aborted.
/// </summary>
public static class FirstCpuProgram
{
    /// <summary>The program's name.</summary>
    public static string NameOf(bool touch) => touch ? "xdp_cpu_touch" : "xdp_cpu_no_touch";

    /// <summary>The smallest EtherType (ETH_P_802_3_MIN): smaller values are an 802.3 frame's length.</summary>
    public const int EthP8023Min = 0x0600;

    /// <summary>Builds the program; map references are by <see cref="RoundRobinProgram"/>'s names and <see cref="RedirectStats.MapName"/>.</summary>
    /// <param name="touch">Read the EtherType (touch) or not (no-touch).</param>
    public static BpfProgram Build(bool touch)
    {
        var p = new ProgramBuilder(NameOf(touch));
        p.Mov(R6, R1);                                  // ctx
        RedirectStats.EmitLookup(p);                    // r9 = stats
        if (touch)
        {
            p.Load(R2, Mem.U32(R6, 0));                 // data
            p.Load(R3, Mem.U32(R6, 4));                 // data_end
            p.Mov(R4, R2).Add(R4, 14);
            p.JumpIf(R4 > R3, "aborted");
            p.Load(R5, Mem.U16(R2, 12));
            p.ToBigEndian(R5, 16);                      // bpf_ntohs(eth->h_proto)
            p.JumpIf(R5 >= EthP8023Min, "first");
            p.Mov(R0, (int)XdpAction.Drop);
            p.Goto(CpuPick.Count);
        }
        p.Label("first");
        p.Mov(R7, 0);                                   // position 0: the first CPU of the list
        CpuPick.Emit(p, countDrops: touch);
        return p.Build();
    }
}
