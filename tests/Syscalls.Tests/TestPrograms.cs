using System.Buffers.Binary;

namespace CpuMap.Managed.Syscalls.Tests;

/// <summary>
/// Tiny BPF programs written as raw instruction bytes (struct bpf_insn: opcode, dst:4|src:4,
/// off, imm), so that these tests depend on nothing but the kernel.
/// </summary>
internal static class TestPrograms
{
    public static byte[] Insn(byte opcode, int dst, int src, short off, int imm)
    {
        var insn = new byte[8];
        insn[0] = opcode;
        insn[1] = (byte)((src << 4) | dst);
        BinaryPrimitives.WriteInt16LittleEndian(insn.AsSpan(2), off);
        BinaryPrimitives.WriteInt32LittleEndian(insn.AsSpan(4), imm);
        return insn;
    }

    public static byte[] Program(params byte[][] insns) => insns.SelectMany(i => i).ToArray();

    /// <summary>r{dst} = imm (BPF_ALU64 | BPF_MOV | BPF_K).</summary>
    public static byte[] MovImm(int dst, int imm) => Insn(0xb7, dst, 0, 0, imm);

    /// <summary>exit (BPF_JMP | BPF_EXIT).</summary>
    public static byte[] Exit() => Insn(0x95, 0, 0, 0, 0);

    /// <summary>call helper (BPF_JMP | BPF_CALL).</summary>
    public static byte[] Call(int helper) => Insn(0x85, 0, 0, 0, helper);

    /// <summary>r{dst} = map fd, as ld_imm64 with src BPF_PSEUDO_MAP_FD: two instruction slots.</summary>
    public static byte[] LoadMapFd(int dst, int fd) => Program(Insn(0x18, dst, 1, 0, fd), Insn(0, 0, 0, 0, 0));

    /// <summary>r0 = action; exit.</summary>
    public static byte[] Return(XdpAction action) => Program(MovImm(0, (int)action), Exit());

    /// <summary>exit without setting r0: the verifier refuses it ("R0 !read_ok").</summary>
    public static byte[] Invalid() => Exit();

    /// <summary>return bpf_redirect_map(cpumap, cpu, 0) (helper 51).</summary>
    public static byte[] RedirectToCpu(MapFd cpumap, int cpu) => Program(
        LoadMapFd(1, cpumap.Fd),
        MovImm(2, cpu),
        MovImm(3, 0),
        Call(51),
        Exit());

    /// <summary>
    /// Adds 1 to the u64 at key 0 of an ARRAY map and returns XDP_DROP: a remote CPUMAP program
    /// that proves frames reached the remote CPU.
    /// </summary>
    public static byte[] CountAndDrop(MapFd counter) => Program(
        LoadMapFd(1, counter.Fd),
        Insn(0x62, 10, 0, -4, 0),       // *(u32 *)(r10 - 4) = 0
        Insn(0xbf, 2, 10, 0, 0),        // r2 = r10
        Insn(0x07, 2, 0, 0, -4),        // r2 += -4
        Call(1),                        // r0 = bpf_map_lookup_elem(r1, r2)
        Insn(0x15, 0, 0, 2, 0),         // if r0 == 0 goto +2
        MovImm(1, 1),
        Insn(0xdb, 0, 1, 0, 0),         // lock *(u64 *)(r0 + 0) += r1
        Return(XdpAction.Drop));

    /// <summary>A 64-byte Ethernet II / IPv4 / UDP frame.</summary>
    public static byte[] EthernetFrame()
    {
        var frame = new byte[64];
        byte[] dst = [0x02, 0, 0, 0, 0, 0x01], src = [0x02, 0, 0, 0, 0, 0x02];
        dst.CopyTo(frame, 0);
        src.CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800); // ETH_P_IP
        var ip = frame.AsSpan(14);
        ip[0] = 0x45;                                                     // IPv4, 20-byte header
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], 50);               // total length
        ip[8] = 64;                                                       // TTL
        ip[9] = 17;                                                       // UDP
        byte[] saddr = [10, 0, 0, 1], daddr = [10, 0, 0, 2];
        saddr.CopyTo(ip[12..]);
        daddr.CopyTo(ip[16..]);
        var udp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, 12345);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], 9);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], 30);
        return frame;
    }

    public static ProgFd LoadXdp(XdpAction action = XdpAction.Pass, BpfAttachType? expectedAttachType = null,
        BpfProgFlags flags = BpfProgFlags.None, string? name = null)
        => Bpf.ProgLoad(BpfProgType.Xdp, Return(action), expectedAttachType: expectedAttachType, flags: flags, name: name);
}
