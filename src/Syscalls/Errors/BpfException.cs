namespace CpuMap.Managed.Syscalls;

/// <summary>
/// A bpf(2) command failed. Carries the command (its kernel name is the <see cref="BpfOperationException.Operation"/>),
/// the errno and a sentence naming the likely cause and the fix; the message puts all three together, in the kernel's words.
/// </summary>
public class BpfException : BpfOperationException
{
    /// <summary>A refusal of <paramref name="command"/> with <paramref name="errno"/>; <paramref name="hint"/> names the likely cause and the fix.</summary>
    public BpfException(BpfCommand command, Errno errno, string hint)
        : this(command, errno, hint, FormatMessage(command, errno, hint))
    {
    }

    /// <summary>For subclasses that build their own <paramref name="message"/>, e.g. with the kernel's log appended.</summary>
    protected BpfException(BpfCommand command, Errno errno, string hint, string message)
        : base(KernelNames.Of(command), message, errno)
    {
        Command = command;
        Hint = hint;
    }

    /// <summary>The command that failed.</summary>
    public BpfCommand Command { get; }

    /// <summary>What the kernel answered: a refusal of this kind always has one, so this is not nullable here.</summary>
    public new Errno Errno => base.Errno!.Value;

    /// <summary>The likely cause and the fix.</summary>
    public string Hint { get; }

    /// <summary>
    /// The message of a refusal the kernel explained in a log (the verifier's, BPF_BTF_LOAD's): the one message format,
    /// then the log's last <paramref name="lines"/> lines, where the kernel says why; <paramref name="property"/> names where
    /// the whole log is kept.
    /// </summary>
    protected static string FormatMessageWithLog(BpfCommand command, Errno errno, string hint, string log, string logName, string property, int lines)
    {
        var message = FormatMessage(command, errno, hint);
        var text = log.AsSpan().TrimEnd();
        var start = text.Length;
        for (var seen = 0; start > 0 && seen < lines; seen++)
            start = text[..start].LastIndexOf('\n') is var nl and >= 0 ? nl : 0;
        var tail = text[start..].TrimStart('\n').ToString();
        return tail.Length == 0
            ? $"{message} The kernel wrote no {logName}."
            : $"{message}{Environment.NewLine}{char.ToUpperInvariant(logName[0])}{logName[1..]} (last lines; {property} has all of it):{Environment.NewLine}{tail}";
    }

    /// <summary>The one message format every bpf(2) failure uses.</summary>
    protected static string FormatMessage(BpfCommand command, Errno errno, string hint)
        => $"{KernelNames.Of(command)} failed with {errno.NameAndDescription}: {hint}";
}
