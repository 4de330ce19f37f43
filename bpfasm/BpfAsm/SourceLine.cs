namespace BpfAsm;

/// <summary>The C# line that emitted an instruction of a <see cref="ProgramBuilder"/>, as the compiler gave it ([CallerFilePath], [CallerLineNumber]).</summary>
public readonly record struct SourceLine(string File, int Line)
{
    /// <summary><c>file:line</c>, as compilers print positions.</summary>
    public override string ToString() => $"{File}:{Line}";
}
