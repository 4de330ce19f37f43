using System.CommandLine.Parsing;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>The text of an option's value, as the custom parsers quote it back in their errors.</summary>
internal static class OptionTokens
{
    /// <summary>The value as the user typed it: one token, or several joined by spaces (e.g. --cpus 0 1).</summary>
    public static string Text(ArgumentResult result) =>
        result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
}
