namespace CpuMap.Managed.Syscalls;

/// <summary>
/// BPF_BTF_LOAD refused the BTF. <see cref="BtfLog"/> holds the kernel's BTF log (the type it
/// stopped at and why); the message shows its last lines.
/// </summary>
public sealed class BtfLoadException : BpfException
{
    /// <summary>How many trailing log lines the message shows.</summary>
    public const int MessageLogLines = 6;

    /// <summary>A refusal of BPF_BTF_LOAD with <paramref name="errno"/>, its <paramref name="hint"/> and the kernel's <paramref name="btfLog"/>.</summary>
    public BtfLoadException(Errno errno, string hint, string btfLog)
        : base(BpfCommand.BtfLoad, errno, hint, FormatMessageWithLog(BpfCommand.BtfLoad, errno, hint, btfLog, "BTF log", nameof(BtfLog), MessageLogLines))
    {
        BtfLog = btfLog;
    }

    /// <summary>The complete BTF log (empty if the kernel wrote none).</summary>
    public string BtfLog { get; }
}
