using BpfAsm;
using static BpfAsm.Register;

namespace CpuMap.Managed.Programs.Bytecode;

/// <summary>
/// The remote action <c>redirect</c>: a program for a CPUMAP entry (expected attach type BPF_XDP_CPUMAP) that counts
/// each frame in <see cref="RemoteCpuCountProgram.RemotePacketsMap"/>, as the pass and drop programs do, then sends
/// it out of the device in slot 0 of the DEVMAP <see cref="TxPortMap"/>. The frame is not changed here (an egress
/// program in the DEVMAP entry may change it). In C:
/// <code>
/// SEC("xdp/cpumap") int xdp_cpumap_redirect(struct xdp_md *ctx)
/// {
///     /* remote_packets += 1, as xdp_cpumap_count */
///     return bpf_redirect_map(&amp;tx_port, 0, 0);
/// }
/// </code>
/// </summary>
public static class RemoteRedirectProgram
{
    /// <summary>The program's name (the kernel keeps the first 15 characters).</summary>
    public const string Name = "xdp_cpumap_redirect";

    /// <summary>BPF_MAP_TYPE_DEVMAP, one entry (key 0): <c>struct bpf_devmap_val { __u32 ifindex; int bpf_prog_fd; }</c>.</summary>
    public const string TxPortMap = "tx_port";

    /// <summary>Builds the program; map references are by <see cref="TxPortMap"/> and <see cref="RemoteCpuCountProgram.RemotePacketsMap"/>.</summary>
    public static BpfProgram Build()
    {
        var p = new ProgramBuilder(Name);
        RemoteCpuCountProgram.EmitCount(p);
        p.LoadMapFd(R1, TxPortMap);                     // return bpf_redirect_map(&tx_port, 0, 0);  (0 = XDP_ABORTED when it fails)
        p.Mov(R2, 0);
        p.Mov(R3, 0);
        p.Call(BpfHelper.RedirectMap);
        p.Exit();
        return p.Build();
    }
}
