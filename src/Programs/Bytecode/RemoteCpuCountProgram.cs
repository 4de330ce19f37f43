using BpfAsm;
using CpuMap.Managed.Syscalls;
using static BpfAsm.Register;

namespace CpuMap.Managed.Programs.Bytecode;

/// <summary>
/// A program for a CPUMAP entry (expected attach type BPF_XDP_CPUMAP): it runs on the remote CPU for
/// every frame that CPU's kernel thread takes off its queue, adds one to that CPU's slot of
/// <see cref="RemotePacketsMap"/>, and passes the frame to the network stack or drops it. The counts
/// show where frames really arrived. In C:
/// <code>
/// SEC("xdp/cpumap") int xdp_cpumap_count(struct xdp_md *ctx)
/// {
///     __u32 key = 0;
///     __u64 *packets = bpf_map_lookup_elem(&amp;remote_packets, &amp;key);
///     if (packets)
///         *packets += 1;
///     return XDP_PASS; /* or XDP_DROP */
/// }
/// </code>
/// </summary>
public static class RemoteCpuCountProgram
{
    /// <summary>The program's name.</summary>
    public const string Name = "xdp_cpumap_count";

    /// <summary>BPF_MAP_TYPE_PERCPU_ARRAY, one entry, value __u64: frames seen per CPU.</summary>
    public const string RemotePacketsMap = "remote_packets";

    /// <summary>Builds the program, returning <paramref name="action"/> (XDP_PASS or XDP_DROP) for every frame.</summary>
    /// <param name="action">XDP_PASS or XDP_DROP.</param>
    /// <param name="name">The program's name (another for the same program elsewhere, e.g. in a DEVMAP entry).</param>
    /// <param name="mapName">The counter map's name.</param>
    public static BpfProgram Build(XdpAction action, string name = Name, string mapName = RemotePacketsMap)
    {
        CheckAction(action);
        var p = new ProgramBuilder(name);
        EmitCount(p, mapName);
        p.Return(action);                               // return XDP_PASS or XDP_DROP;
        return p.Build();
    }

    /// <summary>Emits the count: one more in this CPU's slot of <paramref name="mapName"/>. Clobbers r0-r5.</summary>
    internal static void EmitCount(ProgramBuilder p, string mapName = RemotePacketsMap)
    {
        p.Store(Mem.U32(R10, -4), 0);                   // __u32 key = 0;
        p.Mov(R2, R10).Add(R2, -4);                     // packets = bpf_map_lookup_elem(&remote_packets, &key);
        p.LoadMapFd(R1, mapName);
        p.Call(BpfHelper.MapLookupElem);
        p.JumpIf(R0 == 0, "out");                       // if (packets)
        // Not an atomic add: the slot belongs to this CPU, and its one kernel thread runs the program.
        p.Load(R1, Mem.U64(R0));                        //     *packets += 1;
        p.Add(R1, 1);
        p.Store(Mem.U64(R0), R1);
        p.Label("out");
    }

    internal static void CheckAction(XdpAction action)
    {
        if (action is not (XdpAction.Pass or XdpAction.Drop))
            throw new ArgumentOutOfRangeException(nameof(action), action,
                $"A counting program on the remote CPU ends each frame with XDP_PASS (on to the network stack) or XDP_DROP; " +
                $"'{action}' is not one of them (a CPUMAP program cannot XDP_TX, and XDP_REDIRECT needs a target). " +
                "Pass XdpAction.Pass or XdpAction.Drop.");
    }
}
