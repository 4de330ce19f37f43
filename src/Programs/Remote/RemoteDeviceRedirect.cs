using CpuMap.Managed.Loader;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Syscalls.Netlink;
using CpuMap.Managed.Syscalls;
using System.Runtime.InteropServices;
using CpuMap.Managed.Programs.Bytecode;
using CpuMap.Managed.Programs.Redirect;

namespace CpuMap.Managed.Programs.Remote;

/// <summary>
/// The remote action <c>redirect</c> ready for CPUMAP entries: the DEVMAP <see cref="RemoteRedirectProgram.TxPortMap"/>
/// with one entry, the device frames leave by (and, optionally, an egress program the kernel runs on each frame just
/// before it leaves: BPF_XDP_DEVMAP), and <see cref="RemoteRedirectProgram"/> loaded with expected attach type
/// BPF_XDP_CPUMAP, counting what each remote CPU sends on. Give <see cref="Program"/> to
/// <see cref="CpuRedirect.Configure(IReadOnlyList{int}, uint, ProgFd?)"/>. Disposing closes the programs and maps; CPUMAP
/// entries that use the program keep it (and through it the DEVMAP and the egress program) until they go.
/// </summary>
/// <remarks>
/// The device must be up and able to take XDP frames (ndo_xdp_xmit: veth, and drivers with native XDP); a veth also
/// needs an XDP program (or GRO) on its peer. Frames it cannot take are dropped by the kernel after the remote program
/// counted them; the kernel's xdp:xdp_redirect_err tracepoint shows them.
/// </remarks>
public sealed class RemoteDeviceRedirect : IDisposable
{
    /// <summary>BPF_MAP_TYPE_PERCPU_ARRAY, one __u64: frames the <see cref="EgressAction.Pass"/> program saw leave, per CPU.</summary>
    public const string EgressPacketsMap = "egress_packets";

    /// <summary>The <see cref="EgressAction.Pass"/> program's name.</summary>
    public const string EgressProgramName = "xdp_devmap_count";

    private readonly IDisposable[] _owned;

    private RemoteDeviceRedirect(NetDeviceInfo device, MapFd txPort, MapFd remotePackets, ProgFd program, ProgFd? egress, MapFd? egressPackets,
        RemoteObjectProgram? egressObject, IDisposable[] owned)
    {
        EgressObject = egressObject;
        Device = device.Name;
        Ifindex = device.Index;
        TxPort = txPort;
        RemotePackets = remotePackets;
        Program = program;
        EgressProgram = egress;
        EgressPackets = egressPackets;
        _owned = owned;
    }

    /// <summary>The device frames leave by.</summary>
    public string Device { get; }

    /// <summary>Its ifindex, as in the DEVMAP entry.</summary>
    public int Ifindex { get; }

    /// <summary>tx_port: the DEVMAP of one entry the remote program redirects into.</summary>
    public MapFd TxPort { get; }

    /// <summary>remote_packets: frames each remote CPU ran the program on (and sent on).</summary>
    public MapFd RemotePackets { get; }

    /// <summary>The program for CPUMAP entries.</summary>
    public ProgFd Program { get; }

    /// <summary>The DEVMAP entry's egress program, or null for none.</summary>
    public ProgFd? EgressProgram { get; }

    /// <summary>The user's object the egress program came from (its maps too), with <see cref="EgressAction.UserProgram"/>; else null.</summary>
    public RemoteObjectProgram? EgressObject { get; }

    /// <summary>egress_packets, when the egress program is <see cref="EgressAction.Pass"/>; null otherwise.</summary>
    public MapFd? EgressPackets { get; }

    /// <summary>
    /// Creates the DEVMAP with <paramref name="device"/> in it (and <paramref name="egress"/>'s program), and loads the remote
    /// program. Needs CAP_BPF and CAP_NET_ADMIN, and Linux 5.9 (programs in CPUMAP and DEVMAP entries).
    /// </summary>
    /// <param name="device">The device frames leave by, in <paramref name="netns"/> (or this thread's namespace).</param>
    /// <param name="egress">The DEVMAP entry's egress program, or null for none.</param>
    /// <param name="netns">Where <paramref name="device"/> is; null for this thread's namespace.</param>
    public static RemoteDeviceRedirect Load(string device, EgressAction? egress = null, NetworkNamespace? netns = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(device);
        NetDeviceInfo info;
        using (var rtnl = netns?.OpenRtNetlink() ?? RtNetlink.Open())
            info = rtnl.TryGetLink(device) ?? throw new BpfOperationException("find network device",
                $"No network device is named '{device}'{(netns is null ? "" : $" in {netns}")}, so the remote CPUs have nothing to redirect frames out of: " +
                "check the name with 'ip link'.");
        var owned = new List<IDisposable>();
        try
        {
            ProgFd? egressProgram = null;
            MapFd? egressPackets = null;
            RemoteObjectProgram? egressObject = null;
            if (egress is EgressAction.Count)
            {
                egressPackets = Own(owned, Bpf.MapCreate(BpfMapType.PercpuArray, sizeof(uint), sizeof(ulong), 1, name: EgressPacketsMap));
                egressProgram = Own(owned, DslProgramLoader.Load(RemoteCpuCountProgram.Build(XdpAction.Pass, EgressProgramName, EgressPacketsMap),
                    EgressProgramName, [egressPackets], BpfAttachType.XdpDevmap));
            }
            else if (egress is EgressAction.UserProgram user)
            {
                egressObject = Own(owned, RemoteObjectProgram.Load(user.Program.Path, user.Program.Name, entry: BpfAttachType.XdpDevmap));
                egressProgram = egressObject.Program;
            }
            var txPort = Own(owned, Bpf.MapCreate(BpfMapType.Devmap, sizeof(uint), (uint)Marshal.SizeOf<DevMapValue>(), 1, name: RemoteRedirectProgram.TxPortMap));
            // -1: no egress program (the kernel reads fd > 0 as one). The kernel looks the ifindex up in the network namespace
            // of the task that writes the entry: written from another namespace it is EINVAL, or worse, another device.
            var entry = new DevMapValue(info.Index, egressProgram?.Fd ?? -1);
            if (netns is null)
                Bpf.MapUpdateElem(txPort, 0u, entry);
            else
                netns.Run(() => Bpf.MapUpdateElem(txPort, 0u, entry));
            var remotePackets = Own(owned, Bpf.MapCreate(BpfMapType.PercpuArray, sizeof(uint), sizeof(ulong), 1, name: RemoteCpuCountProgram.RemotePacketsMap));
            var program = Own(owned, DslProgramLoader.Load(RemoteRedirectProgram.Build(), RemoteRedirectProgram.Name, [txPort, remotePackets], BpfAttachType.XdpCpumap));
            return new RemoteDeviceRedirect(info, txPort, remotePackets, program, egressProgram, egressPackets, egressObject, [.. owned]);
        }
        catch
        {
            for (var i = owned.Count - 1; i >= 0; i--)
                owned[i].Dispose();
            throw;
        }
    }

    /// <summary>Frames each remote CPU sent on, indexed by CPU number.</summary>
    public PerCpuValues<ulong> ReadCounts() => PerCpuArray<ulong>.Open(RemotePackets).Get(0);

    /// <summary>Frames the <see cref="EgressAction.Pass"/> program saw leave, indexed by CPU number; throws for another egress program.</summary>
    public PerCpuValues<ulong> ReadEgressCounts() => EgressPackets is null
        ? throw new InvalidOperationException($"The egress program is not EgressAction.Pass, so nothing of this project's counts what leaves {Device}.")
        : PerCpuArray<ulong>.Open(EgressPackets).Get(0);

    /// <summary>Closes the programs and maps, the last made first.</summary>
    public void Dispose()
    {
        for (var i = _owned.Length - 1; i >= 0; i--)
            _owned[i].Dispose();
    }

    private static T Own<T>(List<IDisposable> owned, T resource) where T : IDisposable
    {
        owned.Add(resource);
        return resource;
    }

    /// <summary><c>struct bpf_devmap_val</c>: the device and the egress program's fd (the kernel answers with its id).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct DevMapValue(int Ifindex, int ProgFd);
}
