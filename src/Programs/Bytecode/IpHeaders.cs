using BpfAsm;
using static BpfAsm.Register;

namespace CpuMap.Managed.Programs.Bytecode;

/// <summary>
/// The IP part of the redirect programs' parsers, after <see cref="EthernetHeaders.EmitSkipToL3"/>: the checks that
/// make an IPv4 or IPv6 header safe to read, each bounds-checked against <c>data_end</c> in r3.
/// </summary>
internal static class IpHeaders
{
    /// <summary>MF and the fragment offset, as a little-endian load of frag_off sees them: non-zero for any fragment.</summary>
    internal const int Ipv4MoreFragmentsOrOffset = 0xFF3F;

    /// <summary>
    /// With r2 at the IPv4 header: checks its 20 fixed bytes are in the frame, version 4 and IHL ≥ 5, leaving
    /// r4 = IHL (in 32-bit words). Anything else jumps to <paramref name="notIp"/>. Clobbers r5.
    /// </summary>
    internal static void EmitCheckIpv4(ProgramBuilder p, string notIp)
    {
        p.Mov(R4, R2).Add(R4, 20);
        p.JumpIf(R4 > R3, notIp);
        p.Load(R4, Mem.U8(R2, 0));                      // version and IHL
        p.Mov(R5, R4).Rsh(R5, 4);
        p.JumpIf(R5 != 4, notIp);
        p.And(R4, 0x0f);
        p.JumpIf(R4 < 5, notIp);
    }

    /// <summary>
    /// With r2 at the IPv6 header: checks its 40 fixed bytes are in the frame and version 6, leaving r4 at the
    /// header after it (extension headers are not walked). Anything else jumps to <paramref name="notIp"/>. Clobbers r5.
    /// </summary>
    internal static void EmitCheckIpv6(ProgramBuilder p, string notIp)
    {
        p.Mov(R4, R2).Add(R4, 40);
        p.JumpIf(R4 > R3, notIp);
        p.Load(R5, Mem.U8(R2, 0));
        p.Rsh(R5, 4);
        p.JumpIf(R5 != 6, notIp);
    }
}
