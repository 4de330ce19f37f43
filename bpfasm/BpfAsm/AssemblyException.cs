namespace BpfAsm;

/// <summary>Text the <see cref="Assembler"/> cannot read, with the 1-based line and column of the problem.</summary>
public sealed class AssemblyException : FormatException
{
    /// <summary>Creates the error for <paramref name="reason"/> at <paramref name="line"/>:<paramref name="column"/> of <paramref name="sourceName"/>.</summary>
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

    /// <summary>The 1-based line of the problem.</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the problem.</summary>
    public int Column { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }
}
