namespace BpfAsm;

/// <summary>A register compared as a signed number: <c>R1.Signed &lt; 0</c>.</summary>
public readonly struct SignedRegister
{
    internal SignedRegister(Register register) => Register = register;

    /// <summary>The register compared.</summary>
    public Register Register { get; }

    /// <summary><c>BPF_JSGT</c>: signed greater than a register.</summary>
    public static Condition operator >(SignedRegister a, Register b) => new(JumpOperation.Jsgt, a.Register, b);
    /// <summary><c>BPF_JSGE</c>: signed greater or equal a register.</summary>
    public static Condition operator >=(SignedRegister a, Register b) => new(JumpOperation.Jsge, a.Register, b);
    /// <summary><c>BPF_JSLT</c>: signed less than a register.</summary>
    public static Condition operator <(SignedRegister a, Register b) => new(JumpOperation.Jslt, a.Register, b);
    /// <summary><c>BPF_JSLE</c>: signed less or equal a register.</summary>
    public static Condition operator <=(SignedRegister a, Register b) => new(JumpOperation.Jsle, a.Register, b);
    /// <summary><c>BPF_JSGT</c>: signed greater than an immediate.</summary>
    public static Condition operator >(SignedRegister a, int imm) => new(JumpOperation.Jsgt, a.Register, imm);
    /// <summary><c>BPF_JSGE</c>: signed greater or equal an immediate.</summary>
    public static Condition operator >=(SignedRegister a, int imm) => new(JumpOperation.Jsge, a.Register, imm);
    /// <summary><c>BPF_JSLT</c>: signed less than an immediate.</summary>
    public static Condition operator <(SignedRegister a, int imm) => new(JumpOperation.Jslt, a.Register, imm);
    /// <summary><c>BPF_JSLE</c>: signed less or equal an immediate.</summary>
    public static Condition operator <=(SignedRegister a, int imm) => new(JumpOperation.Jsle, a.Register, imm);
}
