namespace BpfAsm;

/// <summary>
/// What makes an instruction valid, in one place: the opcode must be one the kernel defines and every
/// field the opcode does not use must be zero (the verifier rejects the rest with "uses reserved fields").
/// Being strict here is also what makes a listing round-trip: an ignored field would not survive the text.
/// </summary>
internal static class InstructionRules
{
    /// <summary>Why (code, dst, src, off, imm) is not a valid instruction, or null when it is.</summary>
    public static string? Check(byte code, int dst, int src, short off, int imm)
    {
        if ((uint)dst >= Register.Count)
            return $"dst_reg {dst} does not exist: eBPF has r0..r10";
        if ((uint)src >= Register.Count)
            return $"src_reg {src} does not exist: eBPF has r0..r10";
        var cls = (InstructionClass)(code & 0x07);
        return cls switch
        {
            InstructionClass.Alu or InstructionClass.Alu64 => CheckAlu(code, cls == InstructionClass.Alu64, src, off, imm),
            InstructionClass.Jmp or InstructionClass.Jmp32 => CheckJump(code, cls == InstructionClass.Jmp32, dst, src, off, imm),
            InstructionClass.Ld => CheckLd(code, dst, src, off),
            _ => CheckMemory(code, cls, src, imm),
        };
    }

    private static string? CheckAlu(byte code, bool is64, int src, short off, int imm)
    {
        var op = (AluOperation)(code & 0xf0);
        var x = (code & 0x08) != 0;
        var cls = is64 ? "BPF_ALU64" : "BPF_ALU";
        switch (op)
        {
            case AluOperation.Add or AluOperation.Sub or AluOperation.Mul or AluOperation.Or or AluOperation.And
                or AluOperation.Lsh or AluOperation.Rsh or AluOperation.Xor or AluOperation.Arsh:
                return off != 0 ? Reserved(code, "off", off) : CheckOperand(code, x, src, imm);
            case AluOperation.Div or AluOperation.Mod:
                return off is not (0 or 1)
                    ? $"opcode 0x{code:x2} ({cls} | BPF_{op.ToString().ToUpperInvariant()}) takes off 0 (unsigned) or 1 (signed), not {off}"
                    : CheckOperand(code, x, src, imm);
            case AluOperation.Neg:
                if (x)
                    return $"opcode 0x{code:x2} ({cls} | BPF_NEG | BPF_X) is reserved: BPF_NEG has no source operand";
                return src != 0 ? Reserved(code, "src_reg", src) : off != 0 ? Reserved(code, "off", off) : imm != 0 ? Reserved(code, "imm", imm) : null;
            case AluOperation.Mov when !x:
                return src != 0 ? Reserved(code, "src_reg", src) : off != 0 ? Reserved(code, "off", off) : null;
            case AluOperation.Mov:
                if (off == 1 && is64)
                    return null; // addr_space_cast: imm holds the two address spaces
                if (off is not (0 or 8 or 16) && !(off == 32 && is64))
                    return $"opcode 0x{code:x2} ({cls} | BPF_MOV | BPF_X) takes off 0 (mov) or {(is64 ? "8, 16 or 32" : "8 or 16")} (movsx){(is64 ? " or 1 (addr_space_cast)" : "")}, not {off}";
                return imm != 0 ? Reserved(code, "imm", imm) : null;
            case AluOperation.End:
                if (is64 && x)
                    return $"opcode 0x{code:x2} (BPF_ALU64 | BPF_END | BPF_TO_BE) is reserved: BPF_ALU64 | BPF_END is the unconditional bswap and takes BPF_K only";
                if (src != 0)
                    return Reserved(code, "src_reg", src);
                if (off != 0)
                    return Reserved(code, "off", off);
                return imm is 16 or 32 or 64 ? null : $"opcode 0x{code:x2} (byte swap) takes imm 16, 32 or 64 (the width in bits), not {imm}";
            default:
                return $"opcode 0x{code:x2} is reserved: {cls} has no operation 0x{(byte)op:x2}";
        }
    }

    private static string? CheckJump(byte code, bool is32, int dst, int src, short off, int imm)
    {
        var op = (JumpOperation)(code & 0xf0);
        var x = (code & 0x08) != 0;
        var cls = is32 ? "BPF_JMP32" : "BPF_JMP";
        switch (op)
        {
            case JumpOperation.Ja:
                if (x)
                    return $"opcode 0x{code:x2} ({cls} | BPF_JA | BPF_X) is reserved";
                if (dst != 0)
                    return Reserved(code, "dst_reg", dst);
                if (src != 0)
                    return Reserved(code, "src_reg", src);
                // BPF_JMP | BPF_JA jumps by off; BPF_JMP32 | BPF_JA (gotol) by imm, for targets beyond 16 bits.
                return is32 ? (off != 0 ? Reserved(code, "off", off) : null) : (imm != 0 ? Reserved(code, "imm", imm) : null);
            case JumpOperation.Jeq or JumpOperation.Jgt or JumpOperation.Jge or JumpOperation.Jset or JumpOperation.Jne
                or JumpOperation.Jsgt or JumpOperation.Jsge or JumpOperation.Jlt or JumpOperation.Jle
                or JumpOperation.Jslt or JumpOperation.Jsle:
                return CheckOperand(code, x, src, imm);
            case JumpOperation.Call or JumpOperation.Exit or JumpOperation.Jcond when is32:
                return $"opcode 0x{code:x2} (BPF_JMP32 | BPF_{op.ToString().ToUpperInvariant()}) is reserved: it exists in BPF_JMP only";
            case JumpOperation.Call:
                if (x)
                    return $"opcode 0x{code:x2} (BPF_JMP | BPF_CALL | BPF_X, callx) is reserved: the kernel calls by helper id, BPF_PSEUDO_CALL or BPF_PSEUDO_KFUNC_CALL only";
                if (dst != 0)
                    return Reserved(code, "dst_reg", dst);
                if (src > (int)CallKind.Kfunc)
                    return $"call with src_reg {src} is reserved: src_reg is 0 (helper), 1 (BPF_PSEUDO_CALL) or 2 (BPF_PSEUDO_KFUNC_CALL)";
                // A kfunc's off is the fd_array index of the module BTF that defines it.
                return off != 0 && src != (int)CallKind.Kfunc ? Reserved(code, "off", off) : null;
            case JumpOperation.Exit:
                if (x)
                    return $"opcode 0x{code:x2} (BPF_JMP | BPF_EXIT | BPF_X) is reserved";
                return dst != 0 ? Reserved(code, "dst_reg", dst) : src != 0 ? Reserved(code, "src_reg", src)
                    : off != 0 ? Reserved(code, "off", off) : imm != 0 ? Reserved(code, "imm", imm) : null;
            case JumpOperation.Jcond:
                if (x)
                    return $"opcode 0x{code:x2} (BPF_JMP | BPF_JCOND | BPF_X) is reserved";
                if (src != 0)
                    return $"BPF_JCOND with src_reg {src} is reserved: only BPF_MAY_GOTO (0) exists";
                return dst != 0 ? Reserved(code, "dst_reg", dst) : imm != 0 ? Reserved(code, "imm", imm) : null;
            default:
                return $"opcode 0x{code:x2} is reserved: {cls} has no operation 0x{(byte)op:x2}";
        }
    }

    private static string? CheckLd(byte code, int dst, int src, short off)
    {
        if (code == Instruction.LdImm64Opcode)
        {
            if (src > (int)PseudoSource.MapIdxValue)
                return $"64-bit immediate load with src_reg {src} is reserved: src_reg is 0 (constant) or a BPF_PSEUDO_* value 1..6";
            return off != 0 ? Reserved(code, "off", off) : null;
        }
        var mode = (MemoryMode)(code & 0xe0);
        var size = (MemorySize)(code & 0x18);
        if (mode is not (MemoryMode.Abs or MemoryMode.Ind))
            return $"opcode 0x{code:x2} is reserved: BPF_LD has only BPF_IMM | BPF_DW (0x18), BPF_ABS and BPF_IND";
        if (size == MemorySize.DW)
            return $"opcode 0x{code:x2} (BPF_LD | BPF_{mode.ToString().ToUpperInvariant()} | BPF_DW) is reserved: legacy packet loads are 1, 2 or 4 bytes";
        if (dst != 0)
            return Reserved(code, "dst_reg", dst);
        if (mode == MemoryMode.Abs && src != 0)
            return Reserved(code, "src_reg", src);
        return off != 0 ? Reserved(code, "off", off) : null;
    }

    private static string? CheckMemory(byte code, InstructionClass cls, int src, int imm)
    {
        var mode = (MemoryMode)(code & 0xe0);
        var size = (MemorySize)(code & 0x18);
        switch (cls, mode)
        {
            case (InstructionClass.Ldx, MemoryMode.Mem):
            case (InstructionClass.Stx, MemoryMode.Mem):
                return imm != 0 ? Reserved(code, "imm", imm) : null;
            case (InstructionClass.Ldx, MemoryMode.MemSx):
                if (size == MemorySize.DW)
                    return $"opcode 0x{code:x2} (BPF_LDX | BPF_MEMSX | BPF_DW) is reserved: sign-extending loads are 1, 2 or 4 bytes";
                return imm != 0 ? Reserved(code, "imm", imm) : null;
            case (InstructionClass.St, MemoryMode.Mem):
                return src != 0 ? Reserved(code, "src_reg", src) : null;
            case (InstructionClass.Stx, MemoryMode.Atomic):
                if (!Enum.IsDefined((AtomicOperation)imm))
                    return $"atomic operation imm 0x{imm:x} is reserved: use BPF_ADD, BPF_OR, BPF_AND, BPF_XOR (each optionally | BPF_FETCH), BPF_XCHG, BPF_CMPXCHG, BPF_LOAD_ACQ or BPF_STORE_REL";
                // Only the acquire/release pair comes in 1- and 2-byte sizes.
                if (size is not (MemorySize.W or MemorySize.DW) && (AtomicOperation)imm is not (AtomicOperation.LoadAcquire or AtomicOperation.StoreRelease))
                    return $"opcode 0x{code:x2} (BPF_STX | BPF_ATOMIC | BPF_{size}) with imm 0x{imm:x} is reserved: read-modify-write atomics are 4 or 8 bytes";
                return null;
            default:
                return $"opcode 0x{code:x2} is reserved: BPF_{cls.ToString().ToUpperInvariant()} has no mode 0x{(byte)mode:x2}";
        }
    }

    private static string? CheckOperand(byte code, bool x, int src, int imm) =>
        x ? (imm != 0 ? Reserved(code, "imm", imm) : null) : (src != 0 ? Reserved(code, "src_reg", src) : null);

    private static string Reserved(byte code, string field, int value) =>
        $"opcode 0x{code:x2} does not use {field}, which must be 0 but is {value}";
}
