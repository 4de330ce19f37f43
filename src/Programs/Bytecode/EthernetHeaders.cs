using BpfAsm;
using static BpfAsm.Register;

namespace CpuMap.Managed.Programs.Bytecode;

/// <summary>
/// The Ethernet part of the redirect programs' parsers: the Ethernet header, then up to two VLAN tags
/// (802.1Q 0x8100 or 802.1ad 0x88A8, in any order), each step bounds-checked against <c>data_end</c>.
/// </summary>
internal static class EthernetHeaders
{
    // EtherTypes as a 16-bit little-endian load of the big-endian field sees them.
    internal const int EthPIp = 0x0008, EthPIpv6 = 0xDD86, EthP8021Q = 0x0081, EthP8021AD = 0xA888;

    /// <summary>
    /// With the context in r6, leaves r2 = the start of the L3 header, r3 = data_end and r5 = the
    /// EtherType after the tags (as loaded, see the constants above), then falls through to label
    /// <c>l3</c>. A frame cut short jumps to <paramref name="tooShort"/>. After a third tag r5 is still a TPID,
    /// which matches neither IPv4 nor IPv6: callers treat the frame as not IP. Clobbers r4.
    /// </summary>
    internal static void EmitSkipToL3(ProgramBuilder p, string tooShort)
    {
        p.Load(R2, Mem.U32(R6, 0));                     // data
        p.Load(R3, Mem.U32(R6, 4));                     // data_end
        p.Mov(R4, R2).Add(R4, 14);
        p.JumpIf(R4 > R3, tooShort);
        p.Load(R5, Mem.U16(R2, 12));                    // h_proto
        p.Mov(R2, R4);
        for (var tag = 0; tag < 2; tag++)
        {
            p.JumpIf(R5 == EthP8021Q, $"vlan{tag}");
            p.JumpIf(R5 != EthP8021AD, "l3");
            p.Label($"vlan{tag}");
            p.Mov(R4, R2).Add(R4, 4);                   // struct vlan_hdr { __be16 tci, encapsulated_proto; }
            p.JumpIf(R4 > R3, tooShort);
            p.Load(R5, Mem.U16(R2, 2));
            p.Mov(R2, R4);
        }
        p.Label("l3");
    }
}
