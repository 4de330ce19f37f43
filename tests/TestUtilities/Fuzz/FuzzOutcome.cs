namespace CpuMap.Managed.Testing;

/// <summary>What the code under test did with one fuzz input. Anything else (another exception, a
/// stack trace on standard error) escaped, and fails the campaign.</summary>
public enum FuzzOutcome
{
    /// <summary>Read (or loaded, or assembled) without complaint.</summary>
    Accepted,

    /// <summary>Refused the documented way: the project's own exception, or a one-line error and exit code 1.</summary>
    Rejected,
}
