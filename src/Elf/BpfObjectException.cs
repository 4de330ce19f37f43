using System.Diagnostics.CodeAnalysis;

namespace CpuMap.Managed.Elf;

/// <summary>
/// The one exception the object reader throws: the file is not a BPF object this reader
/// understands, or it is damaged. The message names the object, the section and the byte offset
/// where the problem was found, the cause, and what to do about it. It has no errno: the file, not the
/// kernel, is at fault.
/// </summary>
public sealed class BpfObjectException : BpfOperationException
{
    /// <summary>Creates the error for <paramref name="message"/> found at <paramref name="offset"/> of <paramref name="sectionName"/> (null: the file as a whole) in <paramref name="objectName"/>.</summary>
    public BpfObjectException(string objectName, string? sectionName, long offset, string message, Exception? innerException = null)
        : base(ReadOperation, Format(objectName, sectionName, offset, message), errno: null, innerException)
    {
        ObjectName = objectName;
        SectionName = sectionName;
        Offset = offset;
    }

    /// <summary>The <see cref="BpfOperationException.Operation"/> of every object reader refusal.</summary>
    public const string ReadOperation = "read BPF object";

    /// <summary>The object's file name (or the name the caller gave for in-memory bytes).</summary>
    public string ObjectName { get; }

    /// <summary>The ELF section the problem is in, or null for the ELF header and section table.</summary>
    public string? SectionName { get; }

    /// <summary>Byte offset of the problem: within <see cref="SectionName"/> if set, else within the file.</summary>
    public long Offset { get; }

    [DoesNotReturn]
    internal static void Throw(string objectName, string? sectionName, long offset, string message) =>
        throw new BpfObjectException(objectName, sectionName, offset, message);

    private static string Format(string objectName, string? sectionName, long offset, string message) =>
        Printable(sectionName is null
            ? $"{objectName}: at file offset 0x{offset:x}: {message}"
            : $"{objectName}: section '{sectionName}' at offset 0x{offset:x}: {message}");

    // Names come from the object, and a damaged one may hold a newline or an escape sequence: shown
    // as \xNN, the message stays one line a tool can print, and cannot drive the user's terminal.
    private static string Printable(string text)
    {
        if (!text.Any(char.IsControl))
            return text;
        var printable = new System.Text.StringBuilder(text.Length + 16);
        foreach (var c in text)
            printable.Append(char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString());
        return printable.ToString();
    }
}
