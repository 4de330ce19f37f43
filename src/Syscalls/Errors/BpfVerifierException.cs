namespace CpuMap.Managed.Syscalls;

/// <summary>
/// BPF_PROG_LOAD failed. <see cref="VerifierLog"/> holds the verifier's whole log; the message
/// shows its last lines, where the verifier states why it refused the program.
/// </summary>
public sealed class BpfVerifierException : BpfException
{
    /// <summary>How many trailing log lines the message shows.</summary>
    public const int MessageLogLines = 12;

    public BpfVerifierException(Errno errno, string hint, string verifierLog)
        : base(BpfCommand.ProgLoad, errno, hint, FormatVerifierMessage(errno, hint, verifierLog))
    {
        VerifierLog = verifierLog;
    }

    /// <summary>The complete verifier log (empty if the kernel wrote none).</summary>
    public string VerifierLog { get; }

    private static string FormatVerifierMessage(Errno errno, string hint, string log)
    {
        var message = FormatMessage(BpfCommand.ProgLoad, errno, hint);
        var tail = LastLines(log, MessageLogLines);
        return tail.Length == 0
            ? message + " The kernel wrote no verifier log."
            : $"{message}{Environment.NewLine}Verifier log (last lines; VerifierLog has all of it):{Environment.NewLine}{tail}";
    }

    private static string LastLines(string log, int count)
    {
        var text = log.AsSpan().TrimEnd();
        var start = text.Length;
        for (var seen = 0; start > 0 && seen < count; seen++)
            start = text[..start].LastIndexOf('\n') is var nl and >= 0 ? nl : 0;
        return text[start..].TrimStart('\n').ToString();
    }
}
