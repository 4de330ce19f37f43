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

    public static readonly Register R0 = new(0, false), R1 = new(1, false), R2 = new(2, false),
        R3 = new(3, false), R4 = new(4, false), R5 = new(5, false), R6 = new(6, false), R7 = new(7, false),
        R8 = new(8, false), R9 = new(9, false), R10 = new(10, false);

    public static readonly Register W0 = new(0, true), W1 = new(1, true), W2 = new(2, true),
        W3 = new(3, true), W4 = new(4, true), W5 = new(5, true), W6 = new(6, true), W7 = new(7, true),
        W8 = new(8, true), W9 = new(9, true), W10 = new(10, true);

    /// <summary>The frame pointer, r10: read-only, the top of the 512-byte stack.</summary>
    public static Register FramePointer => R10;

    public bool Equals(Register other) => Number == other.Number && Is32 == other.Is32;

    public override bool Equals(object? obj) => obj is Register other && Equals(other);

    public override int GetHashCode() => Number | (Is32 ? 0x100 : 0);

    /// <summary>The name llvm-objdump prints: <c>r1</c> or <c>w1</c>.</summary>
    public override string ToString() => (Is32 ? "w" : "r") + Number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static Condition operator ==(Register a, Register b) => new(JumpOperation.Jeq, a, b);
    public static Condition operator !=(Register a, Register b) => new(JumpOperation.Jne, a, b);
    public static Condition operator >(Register a, Register b) => new(JumpOperation.Jgt, a, b);
    public static Condition operator >=(Register a, Register b) => new(JumpOperation.Jge, a, b);
    public static Condition operator <(Register a, Register b) => new(JumpOperation.Jlt, a, b);
    public static Condition operator <=(Register a, Register b) => new(JumpOperation.Jle, a, b);
    public static Condition operator &(Register a, Register b) => new(JumpOperation.Jset, a, b);
    public static Condition operator ==(Register a, int imm) => new(JumpOperation.Jeq, a, imm);
    public static Condition operator !=(Register a, int imm) => new(JumpOperation.Jne, a, imm);
    public static Condition operator >(Register a, int imm) => new(JumpOperation.Jgt, a, imm);
    public static Condition operator >=(Register a, int imm) => new(JumpOperation.Jge, a, imm);
    public static Condition operator <(Register a, int imm) => new(JumpOperation.Jlt, a, imm);
    public static Condition operator <=(Register a, int imm) => new(JumpOperation.Jle, a, imm);
    public static Condition operator &(Register a, int imm) => new(JumpOperation.Jset, a, imm);
}
