namespace BpfAsm;

/// <summary>
/// A memory location <c>*(size *)(base + off)</c> for loads, stores and atomics; made with <see cref="Mem"/>,
/// e.g. <c>Mem.U32(R10, -4)</c> for <c>*(u32 *)(r10 - 4)</c>.
/// </summary>
public readonly record struct MemoryOperand(MemorySize Size, bool SignExtend, Register Base, short Offset)
{
    /// <summary>The operand in llvm's text: <c>*(u32 *)(r10 - 4)</c>.</summary>
    public override string ToString() =>
        $"*({Disassembler.SizeName(Size, SignExtend)} *)({Base.R64} {(Offset < 0 ? "-" : "+")} {Math.Abs((int)Offset)})";
}

/// <summary>Memory operands by C type: <c>Mem.U32(R0, 0)</c> is <c>*(__u32 *)r0</c>.</summary>
public static class Mem
{
    /// <summary>A 1-byte access (<c>BPF_B</c>).</summary>
    public static MemoryOperand U8(Register @base, short offset = 0) => Make(MemorySize.B, false, @base, offset);

    /// <summary>A 2-byte access (<c>BPF_H</c>).</summary>
    public static MemoryOperand U16(Register @base, short offset = 0) => Make(MemorySize.H, false, @base, offset);

    /// <summary>A 4-byte access (<c>BPF_W</c>).</summary>
    public static MemoryOperand U32(Register @base, short offset = 0) => Make(MemorySize.W, false, @base, offset);

    /// <summary>An 8-byte access (<c>BPF_DW</c>).</summary>
    public static MemoryOperand U64(Register @base, short offset = 0) => Make(MemorySize.DW, false, @base, offset);

    /// <summary>A sign-extending 1-byte load (<c>BPF_MEMSX</c>); loads only.</summary>
    public static MemoryOperand S8(Register @base, short offset = 0) => Make(MemorySize.B, true, @base, offset);

    /// <summary>A sign-extending 2-byte load (<c>BPF_MEMSX</c>); loads only.</summary>
    public static MemoryOperand S16(Register @base, short offset = 0) => Make(MemorySize.H, true, @base, offset);

    /// <summary>A sign-extending 4-byte load (<c>BPF_MEMSX</c>); loads only.</summary>
    public static MemoryOperand S32(Register @base, short offset = 0) => Make(MemorySize.W, true, @base, offset);

    private static MemoryOperand Make(MemorySize size, bool signed, Register @base, short offset)
    {
        if (@base.Is32)
            throw new ArgumentException($"a memory address is 64 bits: use {@base.R64}, not {@base}", nameof(@base));
        return new MemoryOperand(size, signed, @base, offset);
    }
}
