namespace CpuMap.Managed.Syscalls;

/// <summary>
/// BPF_PROG_LOAD failed. <see cref="VerifierLog"/> holds the verifier's whole log; the message
/// shows its last lines, where the verifier states why it refused the program.
/// </summary>
public sealed class BpfVerifierException : BpfException
{
    /// <summary>How many trailing log lines the message shows.</summary>
    public const int MessageLogLines = 12;

    /// <summary>A refusal of BPF_PROG_LOAD with <paramref name="errno"/>, its <paramref name="hint"/> and the <paramref name="verifierLog"/>.</summary>
    public BpfVerifierException(Errno errno, string hint, string verifierLog)
        : base(BpfCommand.ProgLoad, errno, hint, FormatMessageWithLog(BpfCommand.ProgLoad, errno, hint, verifierLog, "verifier log", nameof(VerifierLog), MessageLogLines))
    {
        VerifierLog = verifierLog;
    }

    /// <summary>The complete verifier log (empty if the kernel wrote none).</summary>
    public string VerifierLog { get; }
}
