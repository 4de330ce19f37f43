using BpfAsm;
using static BpfAsm.Register;
using CpuMap.Managed.Programs.Redirect;

namespace CpuMap.Managed.Programs.Bytecode;

/// <summary>
/// Software RSS: an XDP program that hashes each frame's flow and redirects it through the CPUMAP, so
/// every frame of a flow lands on the same CPU (and stays in order: one CPU, one queue, one kernel thread).
/// With an indirection table (as a NIC's RSS has), the hash picks bucket <c>hash &amp; (buckets - 1)</c>,
/// the frame is counted in that bucket (<see cref="BucketPacketsMap"/>), and <see cref="IndirectionTableMap"/>
/// names the bucket's CPU: moving a bucket moves its flows, and nothing else does. Without the table the CPU is
/// <c>cpus_available[hash % nr_cpus]</c>.
/// </summary>
/// <remarks>
/// What it parses, each step bounds-checked against <c>data_end</c>:
/// <list type="bullet">
/// <item>Ethernet, then up to two VLAN tags (802.1Q 0x8100 or 802.1ad 0x88A8, in any order).</item>
/// <item>IPv4: the header length from IHL (options skipped). A fragment (MF set or a non-zero offset)
/// is hashed on addresses and protocol only: later fragments carry no ports, and hashing the first
/// one's ports would send it to another CPU than the rest of its datagram.</item>
/// <item>IPv6: the fixed header only; when the next header is not TCP or UDP directly (extension
/// headers are not walked), the frame is hashed on addresses and next header only.</item>
/// <item>TCP and UDP: source and destination ports; other protocols hash addresses and protocol.</item>
/// </list>
/// Frames it cannot hash — not IPv4 or IPv6, a third VLAN tag, a bad IP version or IHL, or headers
/// cut short by the end of the frame — go to the CPU in <see cref="NonIpCpuMap"/> and are counted as
/// non_ip in <see cref="RedirectStats"/>. With <c>symmetric</c> the two endpoints are put in order before
/// hashing (addresses, then ports when the addresses are equal), so A→B and B→A land on the same CPU.
/// The hash: (addresses « 32 | …) times an odd constant, XOR protocol « 32 | ports, then MurmurHash3's
/// 64-bit finalizer, which spreads every input bit over the low bits the modulo keeps.
/// </remarks>
public static class FlowHashProgram
{
    /// <summary>The program's name (the kernel keeps the first 15 characters).</summary>
    public const string Name = "xdp_redir_cpu_flow_hash";

    /// <summary>BPF_MAP_TYPE_CPUMAP: key CPU, value <c>struct bpf_cpumap_val</c>.</summary>
    public const string CpuMapMap = RoundRobinProgram.CpuMapMap;

    /// <summary>BPF_MAP_TYPE_ARRAY: key position in the CPU list, value the CPU.</summary>
    public const string CpusAvailableMap = RoundRobinProgram.CpusAvailableMap;

    /// <summary>BPF_MAP_TYPE_ARRAY, one entry (global data): the number of configured CPUs.</summary>
    public const string NrCpusMap = RoundRobinProgram.NrCpusMap;

    /// <summary>BPF_MAP_TYPE_ARRAY, one entry (global data): the CPU that gets frames the program cannot hash.</summary>
    public const string NonIpCpuMap = "non_ip_cpu";

    /// <summary>BPF_MAP_TYPE_ARRAY, one entry per bucket: the CPU the bucket's flows go to (ethtool's "indirection table").</summary>
    public const string IndirectionTableMap = "rss_indir";

    /// <summary>BPF_MAP_TYPE_PERCPU_ARRAY, one u64 per bucket: frames hashed into it, counted by the CPU that ran the program.</summary>
    public const string BucketPacketsMap = "rss_bucket_pkts";

    private const int IpProtoTcp = 6, IpProtoUdp = 17;

    // An odd 64-bit constant (2^64 / golden ratio) to spread the addresses, and MurmurHash3's fmix64 constants.
    private const ulong Golden = 0x9E3779B97F4A7C15, Fmix1 = 0xFF51AFD7ED558CCD, Fmix2 = 0xC4CEB9FE1A85EC53;
    private const int Fold32 = unchecked((int)0x9E3779B1);

    /// <summary>Builds the program. Map references are by the names above and <see cref="RedirectStats.MapName"/>.</summary>
    /// <param name="symmetric">Order the endpoints before hashing, so both directions of a connection land on one CPU.</param>
    /// <param name="buckets">
    /// The indirection table's size, a power of two (<see cref="RssIndirectionTable.IsValidBuckets"/>); null for no table
    /// (hash modulo the number of CPUs, no bucket counters).
    /// </param>
    public static BpfProgram Build(bool symmetric, int? buckets = null)
    {
        if (buckets is { } size)
            RssIndirectionTable.CheckBuckets(size, nameof(buckets));
        var p = new ProgramBuilder(Name);
        p.Mov(R6, R1);                                  // ctx
        RedirectStats.EmitLookup(p);                    // r9 = stats
        // r2: the cursor (start of the next header), r3: data_end, r5: the EtherType.
        EthernetHeaders.EmitSkipToL3(p, "non_ip");
        p.JumpIf(R5 == EthernetHeaders.EthPIpv6, "ipv6");
        p.JumpIf(R5 != EthernetHeaders.EthPIp, "non_ip");

        // IPv4: r7 = saddr, r8 = daddr, r0 = protocol.
        IpHeaders.EmitCheckIpv4(p, "non_ip");
        p.Load(R7, Mem.U32(R2, 12));
        p.Load(R8, Mem.U32(R2, 16));
        p.Load(R0, Mem.U8(R2, 9));
        p.Load(R5, Mem.U16(R2, 6));                     // frag_off
        p.JumpIf(R5 & IpHeaders.Ipv4MoreFragmentsOrOffset, "addresses_only");
        p.Lsh(R4, 2);                                   // IHL * 4: 20..60, so the cursor stays in the verifier's range
        p.Add(R2, R4);
        p.Goto("l4");

        // IPv6: each 128-bit address folded to 32 bits (both directions fold the same way), r0 = nexthdr.
        p.Label("ipv6");
        IpHeaders.EmitCheckIpv6(p, "non_ip");
        FoldIpv6Address(p, R7, 8);
        FoldIpv6Address(p, R8, 24);
        p.Load(R0, Mem.U8(R2, 6));
        p.Mov(R2, R4);

        // TCP and UDP: r1 = the two ports as one 32-bit load (source in the low half).
        p.Label("l4");
        p.JumpIf(R0 == IpProtoTcp, "ports");
        p.JumpIf(R0 != IpProtoUdp, "addresses_only");
        p.Label("ports");
        p.Mov(R4, R2).Add(R4, 4);
        p.JumpIf(R4 > R3, "non_ip");
        p.Load(R1, Mem.U32(R2, 0));
        p.Goto("hash");
        p.Label("addresses_only");
        p.Mov(R1, 0);

        p.Label("hash");
        if (symmetric)
            EmitOrderEndpoints(p);
        // h = fmix64((saddr << 32 | daddr) * Golden ^ (protocol << 32 | ports))
        p.Lsh(R7, 32).Or(R7, R8);
        p.LoadImm64(R4, unchecked((long)Golden)).Mul(R7, R4);
        p.Lsh(R0, 32).Or(R1, R0).Xor(R7, R1);
        EmitFmix64(p);
        if (buckets is { } n)
            EmitIndirection(p, n);
        else
            EmitModulo(p);

        p.Label("non_ip");
        RedirectStats.EmitCountNonIp(p);
        p.LoadMapValue(R2, NonIpCpuMap);
        p.Load(R2, Mem.U32(R2));

        p.Label("redirect");                            // return bpf_redirect_map(&cpu_map, cpu, 0);  (0 = XDP_ABORTED when it fails)
        p.LoadMapFd(R1, CpuMapMap);
        p.Mov(R3, 0);
        p.Call(BpfHelper.RedirectMap);
        p.Goto("count");
        p.Label("aborted");
        p.Mov(R0, 0);
        p.Label("count");
        RedirectStats.EmitCountAndExit(p);
        return p.Build();
    }

    /// <summary>cpu = cpus_available[h % nr_cpus]; nr_cpus 0 (not configured) aborts.</summary>
    private static void EmitModulo(ProgramBuilder p)
    {
        p.LoadMapValue(R2, NrCpusMap);
        p.Load(R2, Mem.U32(R2));
        p.JumpIf(R2 == 0, "aborted");
        p.Mod(R7, R2);
        p.Store(Mem.U32(R10, -4), R7);
        p.Mov(R2, R10).Add(R2, -4);
        p.LoadMapFd(R1, CpusAvailableMap);
        p.Call(BpfHelper.MapLookupElem);
        p.JumpIf(R0 == 0, "aborted");
        p.Load(R2, Mem.U32(R0));
        p.Goto("redirect");
    }

    /// <summary>
    /// bucket = h &amp; (n - 1); rss_bucket_pkts[bucket] += 1 (this CPU's copy: no atomics); cpu = rss_indir[bucket]; on to
    /// the redirect. The low bits are the ones fmix64 spreads best, and masking them keeps h % CPUs when the table is
    /// filled round-robin over a power-of-two number of CPUs.
    /// </summary>
    private static void EmitIndirection(ProgramBuilder p, int n)
    {
        p.And(R7, n - 1);
        p.Store(Mem.U32(R10, -4), R7);
        p.Mov(R2, R10).Add(R2, -4);
        p.LoadMapFd(R1, BucketPacketsMap);
        p.Call(BpfHelper.MapLookupElem);
        p.JumpIf(R0 == 0, "aborted");
        p.Load(R1, Mem.U64(R0));
        p.Add(R1, 1);
        p.Store(Mem.U64(R0), R1);
        p.Mov(R2, R10).Add(R2, -4);                     // the key is still on the stack: helpers keep it
        p.LoadMapFd(R1, IndirectionTableMap);
        p.Call(BpfHelper.MapLookupElem);
        p.JumpIf(R0 == 0, "aborted");
        p.Load(R2, Mem.U32(R0));
        p.Goto("redirect");
    }

    /// <summary>dst = ((w0 * K + w1) * K + w2) * K + w3 in 32 bits, for the words at r2 + offset.</summary>
    private static void FoldIpv6Address(ProgramBuilder p, Register dst, short offset)
    {
        var w = dst.W32;
        p.Load(dst, Mem.U32(R2, offset));
        for (short i = 1; i < 4; i++)
        {
            p.Mul(w, Fold32);
            p.Load(R5, Mem.U32(R2, (short)(offset + 4 * i)));
            p.Add(w, W5);
        }
    }

    /// <summary>
    /// Swaps (r7, low port) with (r8, high port) when r7 &gt; r8, or when they are equal and the source
    /// port is above the destination port: afterwards both directions of a flow look the same.
    /// </summary>
    private static void EmitOrderEndpoints(ProgramBuilder p)
    {
        p.JumpIf(R7 < R8, "ordered");
        p.JumpIf(R7 > R8, "swap");
        p.Mov(W4, W1).Rsh(W4, 16);                      // the port loaded from the second pair of bytes
        p.Mov(W5, W1).And(W5, 0xffff);                  // the port loaded from the first pair of bytes
        p.JumpIf(W5 <= W4, "ordered");
        p.Label("swap");
        p.Mov(R4, R7).Mov(R7, R8).Mov(R8, R4);
        p.Mov(W4, W1).Lsh(W4, 16);
        p.Rsh(W1, 16).Or(W1, W4);
        p.Label("ordered");
    }

    /// <summary>MurmurHash3's fmix64 on r7 (r4 scratch).</summary>
    private static void EmitFmix64(ProgramBuilder p)
    {
        p.Mov(R4, R7).Rsh(R4, 33).Xor(R7, R4);
        p.LoadImm64(R4, unchecked((long)Fmix1)).Mul(R7, R4);
        p.Mov(R4, R7).Rsh(R4, 33).Xor(R7, R4);
        p.LoadImm64(R4, unchecked((long)Fmix2)).Mul(R7, R4);
        p.Mov(R4, R7).Rsh(R4, 33).Xor(R7, R4);
    }
}
