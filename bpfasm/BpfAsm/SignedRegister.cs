namespace BpfAsm;

/// <summary>A register compared as a signed number: <c>R1.Signed &lt; 0</c>.</summary>
public readonly struct SignedRegister
{
    internal SignedRegister(Register register) => Register = register;

    public Register Register { get; }

    public static Condition operator >(SignedRegister a, Register b) => new(JumpOperation.Jsgt, a.Register, b);
    public static Condition operator >=(SignedRegister a, Register b) => new(JumpOperation.Jsge, a.Register, b);
    public static Condition operator <(SignedRegister a, Register b) => new(JumpOperation.Jslt, a.Register, b);
    public static Condition operator <=(SignedRegister a, Register b) => new(JumpOperation.Jsle, a.Register, b);
    public static Condition operator >(SignedRegister a, int imm) => new(JumpOperation.Jsgt, a.Register, imm);
    public static Condition operator >=(SignedRegister a, int imm) => new(JumpOperation.Jsge, a.Register, imm);
    public static Condition operator <(SignedRegister a, int imm) => new(JumpOperation.Jslt, a.Register, imm);
    public static Condition operator <=(SignedRegister a, int imm) => new(JumpOperation.Jsle, a.Register, imm);
}
