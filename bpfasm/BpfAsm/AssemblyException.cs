namespace BpfAsm;

/// <summary>Text the <see cref="Assembler"/> cannot read, with the 1-based line and column of the problem.</summary>
public sealed class AssemblyException : FormatException
{
    public AssemblyException(string? sourceName, int line, int column, string reason)
        : base($"{sourceName ?? "<input>"}:{line}:{column}: error: {reason}")
    {
        SourceName = sourceName;
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>The file name given to the assembler, if any.</summary>
    public string? SourceName { get; }

    public int Line { get; }

    public int Column { get; }

    public string Reason { get; }
}
