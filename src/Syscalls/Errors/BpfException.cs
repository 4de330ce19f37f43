namespace CpuMap.Managed.Syscalls;

/// <summary>
/// A bpf(2) command failed. Carries the command, the errno and a sentence naming the likely
/// cause and the fix; the message puts all three together, in the kernel's words.
/// </summary>
public class BpfException : Exception
{
    public BpfException(BpfCommand command, Errno errno, string hint)
        : this(command, errno, hint, FormatMessage(command, errno, hint))
    {
    }

    protected BpfException(BpfCommand command, Errno errno, string hint, string message)
        : base(message)
    {
        Command = command;
        Errno = errno;
        Hint = hint;
        HResult = errno.Value;
    }

    /// <summary>The command that failed.</summary>
    public BpfCommand Command { get; }

    /// <summary>What the kernel answered.</summary>
    public Errno Errno { get; }

    /// <summary>The likely cause and the fix.</summary>
    public string Hint { get; }

    /// <summary>The command's kernel name, e.g. BPF_MAP_CREATE.</summary>
    public static string CommandName(BpfCommand command) => "BPF_" + KernelNames.ToUpperSnake(command.ToString());

    /// <summary>The one message format every bpf(2) failure uses.</summary>
    protected static string FormatMessage(BpfCommand command, Errno errno, string hint)
        => $"{CommandName(command)} failed with {errno.Name} ({errno.Description}): {hint}";
}
