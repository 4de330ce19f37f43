namespace CpuMap.Managed.Testing;

/// <summary>A fuzz input got a wrong answer without an exception of its own: e.g. a command line
/// tool that printed a stack trace, or JSON that does not parse.</summary>
public sealed class FuzzEscape(string message) : Exception(message);
