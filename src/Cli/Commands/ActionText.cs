using System.Diagnostics.CodeAnalysis;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Programs.Remote;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>
/// The command line's words for the remote and egress actions (pass, drop, redirect) and its FILE.o:PROGRAM for a program in
/// an object, parsed into the library's types. The rules on the values are the library's; only the syntax is here.
/// </summary>
internal static class ActionText
{
    public const string Pass = "pass", Drop = "drop", Redirect = "redirect";

    /// <summary>
    /// Parses FILE.o:PROGRAM (the path may itself contain ':'; the program's name follows the last one) and checks that the
    /// file exists (<see cref="ObjectProgram.FileExists"/>); the reason is the cause and the fix, without the option's name.
    /// </summary>
    public static bool TryParseObjectProgram(string text, [NotNullWhen(true)] out ObjectProgram? program, [NotNullWhen(false)] out string? reason)
    {
        program = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            reason = $"'{text}' does not name a program in an object file: write FILE.o:PROGRAM, the object's path, a colon and the " +
                     "program's function name (e.g. remote.o:xdp_cpumap_count).";
            return false;
        }
        var parsed = new ObjectProgram(text[..colon], text[(colon + 1)..]);
        if (!parsed.FileExists(out reason))
            return false;
        program = parsed;
        return true;
    }

    /// <summary>pass, drop, redirect (out of the device <paramref name="redirect"/> gives) or FILE.o:PROGRAM, as checked at parse time.</summary>
    public static RemoteAction ToRemoteAction(string text, Func<RemoteAction.Redirect> redirect) => text switch
    {
        Pass => RemoteAction.Pass,
        Drop => RemoteAction.Drop,
        Redirect => redirect(),
        _ => TryParseObjectProgram(text, out var program, out var reason) ? new RemoteAction.UserProgram(program) : throw new InvalidOperationException(reason),
    };
}
