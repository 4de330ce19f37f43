namespace BpfAsm;

/// <summary>Byte-swap flavours of <c>BPF_END</c>.</summary>
public enum ByteSwap
{
    /// <summary><c>BPF_ALU | BPF_END | BPF_TO_LE</c> (<c>le16</c>..): a no-op on little-endian hosts apart from truncation.</summary>
    ToLittleEndian,
    /// <summary><c>BPF_ALU | BPF_END | BPF_TO_BE</c> (<c>be16</c>..): htons/htonl/htobe64 on this little-endian ISA.</summary>
    ToBigEndian,
    /// <summary><c>BPF_ALU64 | BPF_END</c> (<c>bswap16</c>..): swap regardless of host order.</summary>
    Unconditional,
}

// One factory per instruction form of RFC 9669 and include/uapi/linux/bpf.h. The register view picks the
// class (w → BPF_ALU / BPF_JMP32), so a 32-bit operation cannot be written with a 64-bit register by mistake.
public readonly partial struct Instruction
{
    /// <summary><c>dst op= src</c>: BPF_ALU (w registers) or BPF_ALU64 (r registers).</summary>
    public static Instruction Alu(AluOperation op, Register dst, Register src)
    {
        SameWidth(dst, src);
        return Create((byte)((byte)AluClass(dst) | (byte)op | (byte)OperandSource.X), dst.Number, src.Number, 0, 0);
    }

    /// <summary><c>dst op= imm</c>.</summary>
    public static Instruction Alu(AluOperation op, Register dst, int imm) =>
        Create((byte)((byte)AluClass(dst) | (byte)op), dst.Number, 0, 0, imm);

    /// <summary><c>dst s/= src</c> or <c>dst s%= src</c> (off = 1).</summary>
    public static Instruction AluSigned(AluOperation op, Register dst, Register src)
    {
        SignedOnly(op);
        SameWidth(dst, src);
        return Create((byte)((byte)AluClass(dst) | (byte)op | (byte)OperandSource.X), dst.Number, src.Number, 1, 0);
    }

    /// <summary><c>dst s/= imm</c> or <c>dst s%= imm</c> (off = 1).</summary>
    public static Instruction AluSigned(AluOperation op, Register dst, int imm)
    {
        SignedOnly(op);
        return Create((byte)((byte)AluClass(dst) | (byte)op), dst.Number, 0, 1, imm);
    }

    /// <summary><c>dst = -dst</c>.</summary>
    public static Instruction Neg(Register dst) => Create((byte)((byte)AluClass(dst) | (byte)AluOperation.Neg), dst.Number, 0, 0, 0);

    /// <summary><c>dst = (s8|s16|s32)src</c>: movsx; <paramref name="bits"/> is 8, 16 or 32 (32 for r registers only).</summary>
    public static Instruction MovSx(Register dst, Register src, int bits)
    {
        SameWidth(dst, src);
        if (bits is not (8 or 16 or 32) || (bits == 32 && dst.Is32))
            throw new ArgumentOutOfRangeException(nameof(bits), bits, dst.Is32 ? "movsx of w registers sign-extends from 8 or 16 bits (from 32 needs r registers)" : "movsx sign-extends from 8, 16 or 32 bits");
        return Create((byte)((byte)AluClass(dst) | (byte)AluOperation.Mov | (byte)OperandSource.X), dst.Number, src.Number, (short)bits, 0);
    }

    /// <summary><c>dst = addr_space_cast(src, dstAs, srcAs)</c> for BPF arena pointers.</summary>
    public static Instruction AddrSpaceCast(Register dst, Register src, ushort dstAddressSpace, ushort srcAddressSpace)
    {
        if (dst.Is32 || src.Is32)
            throw new ArgumentException("addr_space_cast works on r registers (it is BPF_ALU64 only)", nameof(dst));
        return Create(0xbf, dst.Number, src.Number, 1, (dstAddressSpace << 16) | srcAddressSpace);
    }

    /// <summary>A byte swap of the low <paramref name="bits"/> (16, 32 or 64) of <paramref name="dst"/>.</summary>
    public static Instruction ByteSwap(Register dst, ByteSwap kind, int bits)
    {
        var code = kind switch
        {
            BpfAsm.ByteSwap.ToLittleEndian => (byte)InstructionClass.Alu | (byte)AluOperation.End | (byte)OperandSource.K,
            BpfAsm.ByteSwap.ToBigEndian => (byte)InstructionClass.Alu | (byte)AluOperation.End | (byte)OperandSource.X,
            BpfAsm.ByteSwap.Unconditional => (byte)InstructionClass.Alu64 | (byte)AluOperation.End,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a ByteSwap"),
        };
        if (bits is not (16 or 32 or 64))
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "a byte swap is 16, 32 or 64 bits wide");
        return Create((byte)code, dst.Number, 0, 0, bits);
    }

    /// <summary><c>dst = imm64 ll</c>: the two-slot load of a 64-bit constant, or of a pseudo value the verifier resolves.</summary>
    public static Instruction LoadImm64(Register dst, long value, PseudoSource source = PseudoSource.None) =>
        Create(LdImm64Opcode, dst.Number, (int)source, 0, (int)value, (int)(value >> 32));

    /// <summary>A map pointer: <c>BPF_PSEUDO_MAP_FD</c> with the map's fd (what a loader writes after creating the map).</summary>
    public static Instruction LoadMapFd(Register dst, int mapFd) => LoadImm64(dst, (uint)mapFd, PseudoSource.MapFd);

    /// <summary>A pointer into a map's value: <c>BPF_PSEUDO_MAP_VALUE</c> with the fd and the byte offset.</summary>
    public static Instruction LoadMapValue(Register dst, int mapFd, int offset) =>
        Create(LdImm64Opcode, dst.Number, (int)PseudoSource.MapValue, 0, mapFd, offset);

    /// <summary>Legacy <c>r0 = *(size *)skb[imm]</c> (BPF_ABS), socket filters only.</summary>
    public static Instruction LoadAbsolute(MemorySize size, int imm) =>
        Create((byte)((byte)InstructionClass.Ld | (byte)MemoryMode.Abs | (byte)size), 0, 0, 0, imm);

    /// <summary>Legacy <c>r0 = *(size *)skb[src + imm]</c> (BPF_IND), socket filters only.</summary>
    public static Instruction LoadIndirect(MemorySize size, Register src, int imm = 0) =>
        Create((byte)((byte)InstructionClass.Ld | (byte)MemoryMode.Ind | (byte)size), 0, src.Number, 0, imm);

    /// <summary><c>dst = *(size *)(src + off)</c>, zero-extending.</summary>
    public static Instruction Load(MemorySize size, Register dst, Register src, short offset) =>
        Create((byte)((byte)InstructionClass.Ldx | (byte)MemoryMode.Mem | (byte)size), dst.Number, src.Number, offset, 0);

    /// <summary><c>dst = *(s8|s16|s32 *)(src + off)</c>, sign-extending (BPF_MEMSX).</summary>
    public static Instruction LoadSignExtend(MemorySize size, Register dst, Register src, short offset) =>
        Create((byte)((byte)InstructionClass.Ldx | (byte)MemoryMode.MemSx | (byte)size), dst.Number, src.Number, offset, 0);

    /// <summary><c>*(size *)(dst + off) = imm</c>.</summary>
    public static Instruction Store(MemorySize size, Register dst, short offset, int imm) =>
        Create((byte)((byte)InstructionClass.St | (byte)MemoryMode.Mem | (byte)size), dst.Number, 0, offset, imm);

    /// <summary><c>*(size *)(dst + off) = src</c>.</summary>
    public static Instruction Store(MemorySize size, Register dst, short offset, Register src) =>
        Create((byte)((byte)InstructionClass.Stx | (byte)MemoryMode.Mem | (byte)size), dst.Number, src.Number, offset, 0);

    /// <summary>An atomic on <c>*(u32|u64 *)(dst + off)</c> with <paramref name="src"/> (for cmpxchg, r0 is the expected value).</summary>
    public static Instruction Atomic(MemorySize size, AtomicOperation op, Register dst, short offset, Register src) =>
        Create((byte)((byte)InstructionClass.Stx | (byte)MemoryMode.Atomic | (byte)size), dst.Number, src.Number, offset, (int)op);

    /// <summary><c>goto +off</c>: jump by a 16-bit slot offset.</summary>
    public static Instruction Jump(short offset) => Create((byte)InstructionClass.Jmp, 0, 0, offset, 0);

    /// <summary><c>gotol +imm</c>: jump by a 32-bit slot offset (BPF_JMP32 | BPF_JA), for targets beyond ±32767 slots.</summary>
    public static Instruction JumpLong(int offset) => Create((byte)InstructionClass.Jmp32, 0, 0, 0, offset);

    /// <summary><c>if cond goto +off</c>: BPF_JMP for r registers, BPF_JMP32 for w registers.</summary>
    public static Instruction JumpIf(Condition condition, short offset)
    {
        var cls = condition.Left.Is32 ? InstructionClass.Jmp32 : InstructionClass.Jmp;
        return condition.UsesRegister
            ? Create((byte)((byte)cls | (byte)condition.Operation | (byte)OperandSource.X), condition.Left.Number, condition.Right.Number, offset, 0)
            : Create((byte)((byte)cls | (byte)condition.Operation), condition.Left.Number, 0, offset, condition.Immediate);
    }

    /// <summary><c>may_goto +off</c>: a jump the kernel takes once a loop's budget is spent (BPF_JCOND).</summary>
    public static Instruction MayGoto(short offset) => Create((byte)InstructionClass.Jmp | (byte)JumpOperation.Jcond, 0, 0, offset, 0);

    /// <summary><c>call helper</c>.</summary>
    public static Instruction Call(BpfHelper helper) => Create(CallOpcode, 0, (int)CallKind.Helper, 0, (int)helper);

    /// <summary>A call of kind <paramref name="kind"/>: helper id, subprogram offset (pc + imm + 1) or kfunc BTF id.</summary>
    public static Instruction Call(CallKind kind, int imm, short kfuncBtfFdIndex = 0) => Create(CallOpcode, 0, (int)kind, kfuncBtfFdIndex, imm);

    /// <summary><c>exit</c>: return r0.</summary>
    public static Instruction Exit() => Create(0x95, 0, 0, 0, 0);

    private static InstructionClass AluClass(Register dst) => dst.Is32 ? InstructionClass.Alu : InstructionClass.Alu64;

    private static void SameWidth(Register dst, Register src)
    {
        if (dst.Is32 != src.Is32)
            throw new ArgumentException(
                $"{dst} and {src} have different widths: an ALU operation is all 64-bit (rN) or all 32-bit (wN); write {(dst.Is32 ? src.W32 : src.R64)}",
                nameof(src));
    }

    private static void SignedOnly(AluOperation op)
    {
        if (op is not (AluOperation.Div or AluOperation.Mod))
            throw new ArgumentOutOfRangeException(nameof(op), op, "only BPF_DIV and BPF_MOD have a signed form (off = 1)");
    }
}
