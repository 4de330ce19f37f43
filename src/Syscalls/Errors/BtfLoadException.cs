namespace CpuMap.Managed.Syscalls;

/// <summary>
/// BPF_BTF_LOAD refused the BTF. <see cref="BtfLog"/> holds the kernel's BTF log (the type it
/// stopped at and why); the message shows its last lines.
/// </summary>
public sealed class BtfLoadException : BpfException
{
    /// <summary>How many trailing log lines the message shows.</summary>
    public const int MessageLogLines = 6;

    public BtfLoadException(Errno errno, string hint, string btfLog)
        : base(BpfCommand.BtfLoad, errno, hint, Format(errno, hint, btfLog))
    {
        BtfLog = btfLog;
    }

    /// <summary>The complete BTF log (empty if the kernel wrote none).</summary>
    public string BtfLog { get; }

    private static string Format(Errno errno, string hint, string log)
    {
        var message = FormatMessage(BpfCommand.BtfLoad, errno, hint);
        var lines = log.TrimEnd().Split('\n');
        var tail = string.Join(Environment.NewLine, lines[Math.Max(0, lines.Length - MessageLogLines)..]).Trim();
        return tail.Length == 0
            ? message + " The kernel wrote no BTF log."
            : $"{message}{Environment.NewLine}BTF log (last lines; BtfLog has all of it):{Environment.NewLine}{tail}";
    }
}
