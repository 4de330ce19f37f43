namespace CpuMap.Managed.Testing;

/// <summary>
/// How a command line tool run on a fuzz input ended, judged as a user sees it: exit code 0, or exit
/// code 1 with one line of reason on standard error (which a command may follow with a block it
/// announces, such as the verifier log's last lines). A stack trace, a crash exit code or a reason
/// spread over several lines escaped.
/// </summary>
public static class CommandOutcome
{
    /// <param name="exitCode">The tool's exit code.</param>
    /// <param name="error">What it wrote to standard error.</param>
    /// <param name="errorPrefix">How its one-line error starts, e.g. "cpumap inspect: ".</param>
    /// <param name="notePrefix">Lines a successful run may write to standard error (e.g. "bpfasm: note: "), or null for none.</param>
    /// <param name="blockHeaders">How the second line may start when the reason is followed by a block
    /// (e.g. "Verifier log (last lines"), or null for none.</param>
    public static FuzzOutcome Of(int exitCode, string error, string errorPrefix, string? notePrefix = null, string[]? blockHeaders = null)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (exitCode == 0)
        {
            if (lines.Any(line => notePrefix is null || !line.StartsWith(notePrefix, StringComparison.Ordinal)))
                throw new FuzzEscape($"exit code 0, but standard error holds: {error}");
            return FuzzOutcome.Accepted;
        }
        var block = blockHeaders is not null && lines.Length > 1 && blockHeaders.Any(header => lines[1].StartsWith(header, StringComparison.Ordinal))
            && !lines.Any(line => line.StartsWith("   at ", StringComparison.Ordinal));
        if (exitCode != 1 || (lines.Length != 1 && !block) || !lines[0].StartsWith(errorPrefix, StringComparison.Ordinal) || lines[0].Length <= errorPrefix.Length)
            throw new FuzzEscape($"exit code {exitCode} with standard error: {error}");
        return FuzzOutcome.Rejected;
    }
}
