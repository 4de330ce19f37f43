using BpfAsm;
using CpuMap.Managed.Syscalls;
using static BpfAsm.Register;
using CpuMap.Managed.Programs.Redirect;

namespace CpuMap.Managed.Programs.Bytecode;

/// <summary>
/// The L4 modes of xdp-bench redirect-cpu, written with the bpfasm DSL: the CPU is picked by the IP
/// protocol (<see cref="RssMode.L4Proto"/>, <see cref="RssMode.L4Filter"/>) or by a TCP/UDP port
/// (<see cref="RssMode.L4Sport"/>, <see cref="RssMode.L4Dport"/>), as a position in the CPU list taken
/// modulo the number of configured CPUs: <c>cpus_available[position % nr_cpus]</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Parsing: Ethernet, up to two VLAN tags, IPv4 (IHL honoured, options skipped) or the fixed IPv6
/// header (its next header only: extension headers are not walked), each step bounds-checked.</item>
/// <item>l4-proto: TCP and any other protocol at position 0, UDP at 1, ICMP (1) and ICMPv6 (58) at 2;
/// with one CPU all go to it, with two ICMP shares the first CPU with TCP.</item>
/// <item>l4-filter: as l4-proto, and UDP to destination port 9 is dropped (XDP_DROP, counted as dropped).</item>
/// <item>l4-sport / l4-dport: the port (host order) modulo the CPU count; protocols without ports count as port 0.</item>
/// <item>An IPv4 fragment (MF set or a non-zero offset) is treated as having no ports: later fragments carry none,
/// and reading the first one's would split a datagram over two CPUs. So a fragment is never dropped by l4-filter
/// and goes to position 0 in l4-sport/l4-dport.</item>
/// <item>Frames that are not IPv4 or IPv6 (ARP, a third VLAN tag, a bad version or IHL, headers cut short) go to
/// position 0, the first CPU, and are counted as non_ip in <see cref="RedirectStats"/>.</item>
/// </list>
/// Where xdp-bench differs: it sends ARP to the UDP CPU, reads ports only after a 20-byte IPv4 header, and its
/// l4-filter reads an IPv6 frame as if it were IPv4; here each is as above.
/// </remarks>
public static class L4Program
{
    /// <summary>The program's name for <paramref name="mode"/> (the kernel keeps the first 15 characters).</summary>
    public static string NameOf(RssMode mode) => mode switch
    {
        RssMode.L4Proto => "xdp_cpu_l4_proto",
        RssMode.L4Filter => "xdp_cpu_l4_filter",
        RssMode.L4Sport => "xdp_cpu_l4_sport",
        RssMode.L4Dport => "xdp_cpu_l4_dport",
        _ => throw NotL4(mode),
    };

    /// <summary>The UDP destination port l4-filter drops: 9, discard, where traffic generators such as pktgen send.</summary>
    public const ushort FilteredUdpPort = 9;

    /// <summary>Positions in the CPU list by protocol (l4-proto and l4-filter).</summary>
    public const int TcpPosition = 0, UdpPosition = 1, IcmpPosition = 2;

    private const int IpProtoIcmp = 1, IpProtoTcp = 6, IpProtoUdp = 17, IpProtoIcmpv6 = 58;

    /// <summary>Builds the program of <paramref name="mode"/>; map references are by <see cref="RoundRobinProgram"/>'s names and <see cref="RedirectStats.MapName"/>.</summary>
    public static BpfProgram Build(RssMode mode)
    {
        var p = new ProgramBuilder(NameOf(mode));
        p.Mov(R6, R1);                                  // ctx
        RedirectStats.EmitLookup(p);                    // r9 = stats
        EthernetHeaders.EmitSkipToL3(p, "non_ip");      // r2 = L3 header, r3 = data_end, r5 = EtherType
        // r0 = the IP protocol, r2 = the L4 header, r8 non-zero when the frame is a fragment (no ports of its own).
        p.Mov(R8, 0);
        p.JumpIf(R5 == EthernetHeaders.EthPIpv6, "ipv6");
        p.JumpIf(R5 != EthernetHeaders.EthPIp, "non_ip");
        IpHeaders.EmitCheckIpv4(p, "non_ip");
        p.Load(R0, Mem.U8(R2, 9));
        p.Load(R8, Mem.U16(R2, 6));                     // frag_off
        p.And(R8, IpHeaders.Ipv4MoreFragmentsOrOffset);
        p.Lsh(R4, 2);                                   // IHL * 4: 20..60
        p.Add(R2, R4);
        p.Goto("l4");
        p.Label("ipv6");
        IpHeaders.EmitCheckIpv6(p, "non_ip");
        p.Load(R0, Mem.U8(R2, 6));                      // nexthdr
        p.Mov(R2, R4);

        p.Label("l4");
        p.Mov(R7, 0);                                   // r7: the position in the CPU list
        if (mode is RssMode.L4Proto or RssMode.L4Filter)
            EmitByProtocol(p, filter: mode == RssMode.L4Filter);
        else if (mode is RssMode.L4Sport or RssMode.L4Dport)
            EmitByPort(p, mode == RssMode.L4Sport ? (short)0 : (short)2);
        else
            throw NotL4(mode);

        p.Label("non_ip");
        RedirectStats.EmitCountNonIp(p);
        p.Mov(R7, 0);
        CpuPick.Emit(p, countDrops: mode == RssMode.L4Filter);
        return p.Build();
    }

    private static void EmitByProtocol(ProgramBuilder p, bool filter)
    {
        p.JumpIf(R0 == IpProtoTcp, CpuPick.Label);
        p.JumpIf(R0 == IpProtoIcmp, "icmp");
        p.JumpIf(R0 == IpProtoIcmpv6, "icmp");
        p.JumpIf(R0 != IpProtoUdp, CpuPick.Label);
        p.Mov(R7, UdpPosition);
        if (filter)
        {
            // A fragment, or a header too short for the port, has no destination port to filter on.
            p.JumpIf(R8 != 0, CpuPick.Label);
            p.Mov(R4, R2).Add(R4, 4);
            p.JumpIf(R4 > R3, CpuPick.Label);
            p.Load(R4, Mem.U16(R2, 2));                 // dest, as loaded: port 9 is bytes 00 09
            p.JumpIf(R4 != FilteredUdpPort << 8, CpuPick.Label);
            p.Mov(R0, (int)XdpAction.Drop);
            p.Goto(CpuPick.Count);
        }
        else
            p.Goto(CpuPick.Label);
        p.Label("icmp");
        p.Mov(R7, IcmpPosition);
        p.Goto(CpuPick.Label);
    }

    private static void EmitByPort(ProgramBuilder p, short portOffset)
    {
        p.JumpIf(R8 != 0, CpuPick.Label);
        p.JumpIf(R0 == IpProtoTcp, "ports");
        p.JumpIf(R0 != IpProtoUdp, CpuPick.Label);
        p.Label("ports");
        p.Mov(R4, R2).Add(R4, 4);
        p.JumpIf(R4 > R3, CpuPick.Label);               // cut short: no port, position 0
        p.Load(R7, Mem.U16(R2, portOffset));
        p.ToBigEndian(R7, 16);                          // bpf_ntohs
        p.Goto(CpuPick.Label);
    }

    private static ArgumentOutOfRangeException NotL4(RssMode mode) => new(nameof(mode), mode,
        $"{mode} is not an L4 mode: L4Program builds l4-proto, l4-filter, l4-sport and l4-dport (RssMode.L4Proto, L4Filter, L4Sport, L4Dport).");
}
