namespace BpfAsm;

/// <summary>
/// The test of a conditional jump: a register compared with a register or an immediate. Built by the
/// comparison operators of <see cref="Register"/>; both registers must have the same width.
/// </summary>
public readonly struct Condition
{
    internal Condition(JumpOperation operation, Register left, Register right)
    {
        if (left.Is32 != right.Is32)
            throw new ArgumentException(
                $"cannot compare {left} with {right}: a jump compares both as 64 bits (rN) or both as 32 bits (wN); use {left} with {(left.Is32 ? right.W32 : right.R64)}",
                nameof(right));
        Operation = operation;
        Left = left;
        Right = right;
        UsesRegister = true;
    }

    internal Condition(JumpOperation operation, Register left, int imm)
    {
        Operation = operation;
        Left = left;
        Immediate = imm;
    }

    /// <summary>The comparison: <c>BPF_OP</c> of the jump (<c>BPF_JEQ</c>, <c>BPF_JSGT</c>...).</summary>
    public JumpOperation Operation { get; }

    /// <summary>The left-hand register: the jump's dst_reg.</summary>
    public Register Left { get; }

    /// <summary>The right-hand register, when <see cref="UsesRegister"/>.</summary>
    public Register Right { get; }

    /// <summary>The right-hand immediate, when not <see cref="UsesRegister"/>.</summary>
    public int Immediate { get; }

    /// <summary>Whether the right-hand side is <see cref="Right"/> (<c>BPF_X</c>) rather than <see cref="Immediate"/> (<c>BPF_K</c>).</summary>
    public bool UsesRegister { get; }
}
