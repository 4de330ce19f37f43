namespace BpfAsm;

/// <summary>
/// One of the eleven eBPF registers, seen as 64 bits (<c>r0</c>..<c>r10</c>) or as its low 32 bits
/// (<c>w0</c>..<c>w10</c>). The view picks the instruction class: an operation on <see cref="W32"/>
/// views is <c>BPF_ALU</c> or <c>BPF_JMP32</c>, on 64-bit views <c>BPF_ALU64</c> or <c>BPF_JMP</c>.
/// Comparison operators build a <see cref="Condition"/> for <see cref="ProgramBuilder.JumpIf"/>:
/// <c>R0 == 0</c> reads as the C it stands for.
/// </summary>
#pragma warning disable CS0660, CS0661 // == builds a Condition, so equality is Equals() only.
public readonly struct Register : IEquatable<Register>
#pragma warning restore CS0660, CS0661
{
    /// <summary>The number of registers: r0..r10.</summary>
    public const int Count = 11;

    private Register(byte number, bool is32)
    {
        Number = number;
        Is32 = is32;
    }

    /// <summary>The register number, 0..10.</summary>
    public byte Number { get; }

    /// <summary>Whether this is the 32-bit view (<c>wN</c>).</summary>
    public bool Is32 { get; }

    /// <summary>The 32-bit view of this register (<c>wN</c>).</summary>
    public Register W32 => new(Number, true);

    /// <summary>The 64-bit view of this register (<c>rN</c>).</summary>
    public Register R64 => new(Number, false);

    /// <summary>This register compared as signed (<c>s&gt;</c>, <c>s&lt;=</c>...).</summary>
    public SignedRegister Signed => new(this);

    /// <summary>The register with number <paramref name="number"/>; throws for numbers outside 0..10.</summary>
    public static Register FromNumber(int number, bool is32 = false)
    {
        if ((uint)number >= Count)
            throw new ArgumentOutOfRangeException(nameof(number), number,
                $"register number {number} does not exist: eBPF has r0..r10 (w0..w10 for the 32-bit view)");
        return new Register((byte)number, is32);
    }

    /// <summary>r0: the return value of helpers, calls and the program.</summary>
    public static readonly Register R0 = new(0, false);
    /// <summary>r1: the first argument; the context pointer on program entry.</summary>
    public static readonly Register R1 = new(1, false);
    /// <summary>r2: the second argument.</summary>
    public static readonly Register R2 = new(2, false);
    /// <summary>r3: the third argument.</summary>
    public static readonly Register R3 = new(3, false);
    /// <summary>r4: the fourth argument.</summary>
    public static readonly Register R4 = new(4, false);
    /// <summary>r5: the fifth argument.</summary>
    public static readonly Register R5 = new(5, false);
    /// <summary>r6: callee-saved.</summary>
    public static readonly Register R6 = new(6, false);
    /// <summary>r7: callee-saved.</summary>
    public static readonly Register R7 = new(7, false);
    /// <summary>r8: callee-saved.</summary>
    public static readonly Register R8 = new(8, false);
    /// <summary>r9: callee-saved.</summary>
    public static readonly Register R9 = new(9, false);
    /// <summary>r10: the read-only frame pointer.</summary>
    public static readonly Register R10 = new(10, false);

    /// <summary>w0: the low 32 bits of r0 (<c>BPF_ALU</c>, <c>BPF_JMP32</c>).</summary>
    public static readonly Register W0 = new(0, true);
    /// <summary>w1: the low 32 bits of r1 (<c>BPF_ALU</c>, <c>BPF_JMP32</c>).</summary>
    public static readonly Register W1 = new(1, true);
    /// <summary>w2: the low 32 bits of r2 (<c>BPF_ALU</c>, <c>BPF_JMP32</c>).</summary>
    public static readonly Register W2 = new(2, true);
    /// <summary>w3: the low 32 bits of r3 (<c>BPF_ALU</c>, <c>BPF_JMP32</c>).</summary>
    public static readonly Register W3 = new(3, true);
    /// <summary>w4: the low 32 bits of r4 (<c>BPF_ALU</c>, <c>BPF_JMP32</c>).</summary>
    public static readonly Register W4 = new(4, true);
    /// <summary>w5: the low 32 bits of r5 (<c>BPF_ALU</c>, <c>BPF_JMP32</c>).</summary>
    public static readonly Register W5 = new(5, true);
    /// <summary>w6: the low 32 bits of r6 (<c>BPF_ALU</c>, <c>BPF_JMP32</c>).</summary>
    public static readonly Register W6 = new(6, true);
    /// <summary>w7: the low 32 bits of r7 (<c>BPF_ALU</c>, <c>BPF_JMP32</c>).</summary>
    public static readonly Register W7 = new(7, true);
    /// <summary>w8: the low 32 bits of r8 (<c>BPF_ALU</c>, <c>BPF_JMP32</c>).</summary>
    public static readonly Register W8 = new(8, true);
    /// <summary>w9: the low 32 bits of r9 (<c>BPF_ALU</c>, <c>BPF_JMP32</c>).</summary>
    public static readonly Register W9 = new(9, true);
    /// <summary>w10: the low 32 bits of r10 (<c>BPF_ALU</c>, <c>BPF_JMP32</c>).</summary>
    public static readonly Register W10 = new(10, true);

    /// <summary>The frame pointer, r10: read-only, the top of the 512-byte stack.</summary>
    public static Register FramePointer => R10;

    /// <summary>Whether both are the same register in the same width view.</summary>
    public bool Equals(Register other) => Number == other.Number && Is32 == other.Is32;

    /// <summary>Whether <paramref name="obj"/> is an equal <see cref="Register"/>.</summary>
    public override bool Equals(object? obj) => obj is Register other && Equals(other);

    /// <summary>A hash of the number and width view.</summary>
    public override int GetHashCode() => Number | (Is32 ? 0x100 : 0);

    /// <summary>The name llvm-objdump prints: <c>r1</c> or <c>w1</c>.</summary>
    public override string ToString() => (Is32 ? "w" : "r") + Number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><c>BPF_JEQ</c>: equal to a register.</summary>
    public static Condition operator ==(Register a, Register b) => new(JumpOperation.Jeq, a, b);
    /// <summary><c>BPF_JNE</c>: not equal to a register.</summary>
    public static Condition operator !=(Register a, Register b) => new(JumpOperation.Jne, a, b);
    /// <summary><c>BPF_JGT</c>: unsigned greater than a register.</summary>
    public static Condition operator >(Register a, Register b) => new(JumpOperation.Jgt, a, b);
    /// <summary><c>BPF_JGE</c>: unsigned greater or equal a register.</summary>
    public static Condition operator >=(Register a, Register b) => new(JumpOperation.Jge, a, b);
    /// <summary><c>BPF_JLT</c>: unsigned less than a register.</summary>
    public static Condition operator <(Register a, Register b) => new(JumpOperation.Jlt, a, b);
    /// <summary><c>BPF_JLE</c>: unsigned less or equal a register.</summary>
    public static Condition operator <=(Register a, Register b) => new(JumpOperation.Jle, a, b);
    /// <summary><c>BPF_JSET</c>: has a bit in common with a register.</summary>
    public static Condition operator &(Register a, Register b) => new(JumpOperation.Jset, a, b);
    /// <summary><c>BPF_JEQ</c>: equal to an immediate.</summary>
    public static Condition operator ==(Register a, int imm) => new(JumpOperation.Jeq, a, imm);
    /// <summary><c>BPF_JNE</c>: not equal to an immediate.</summary>
    public static Condition operator !=(Register a, int imm) => new(JumpOperation.Jne, a, imm);
    /// <summary><c>BPF_JGT</c>: unsigned greater than an immediate.</summary>
    public static Condition operator >(Register a, int imm) => new(JumpOperation.Jgt, a, imm);
    /// <summary><c>BPF_JGE</c>: unsigned greater or equal an immediate.</summary>
    public static Condition operator >=(Register a, int imm) => new(JumpOperation.Jge, a, imm);
    /// <summary><c>BPF_JLT</c>: unsigned less than an immediate.</summary>
    public static Condition operator <(Register a, int imm) => new(JumpOperation.Jlt, a, imm);
    /// <summary><c>BPF_JLE</c>: unsigned less or equal an immediate.</summary>
    public static Condition operator <=(Register a, int imm) => new(JumpOperation.Jle, a, imm);
    /// <summary><c>BPF_JSET</c>: has a bit in common with an immediate.</summary>
    public static Condition operator &(Register a, int imm) => new(JumpOperation.Jset, a, imm);
}
