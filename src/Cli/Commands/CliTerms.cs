using System.Text.RegularExpressions;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>
/// The library's errors say what to do in the library's terms (an option's property, a method to call); a user of this tool
/// cannot type those, so each is reported as the flag or command that does the same. One table, so the library never names
/// a flag and no command rewrites messages on its own.
/// </summary>
internal static partial class CliTerms
{
    private static readonly (Regex Library, string Cli)[] Terms =
    [
        (CpuMapName(), "--cpumap NAME"),
        (CpusAvailableName(), "--cpus-available NAME"),
        (UserProgram(), "--remote FILE.o:PROGRAM"),
        (CountingRemotes(), "--remote pass, drop or redirect"),
        (Cpus(), "--cpus"),
        (FlowHash(), "--mode flow-hash"),
        (Attach(), "'cpumap attach --dev $1'"),
        (Pin(), "'cpumap attach --pin'"),
        (Detach(), "cpumap detach --dev DEV"),
        (MaxEntries(), "cpumap load --max-entries $1=N or $1=possible-cpus"),
        (ProgramType(), "cpumap load --type $1=TYPE[:ATTACH], e.g. $1=xdp or $1=socket_filter"),
    ];

    /// <summary><paramref name="message"/> with every library term it holds replaced by this tool's flag or command.</summary>
    public static string InToolTerms(string message)
    {
        foreach (var (library, cli) in Terms)
            message = library.Replace(message, cli);
        return message;
    }

    [GeneratedRegex(@"cpuMapName \(SoftwareRssOptions\.CpuMapName\)")]
    private static partial Regex CpuMapName();

    [GeneratedRegex(@"cpusAvailableName \(SoftwareRssOptions\.CpusAvailableName\)")]
    private static partial Regex CpusAvailableName();

    [GeneratedRegex(@"the remote program \(RemoteAction\.UserProgram\)")]
    private static partial Regex UserProgram();

    [GeneratedRegex(@"RemoteAction\.Pass, Drop or Redirect")]
    private static partial Regex CountingRemotes();

    [GeneratedRegex(@"the CPU list \(SoftwareRssOptions\.Cpus\)")]
    private static partial Regex Cpus();

    [GeneratedRegex(@"RssMode\.FlowHash")]
    private static partial Regex FlowHash();

    [GeneratedRegex(@"SoftwareRss\.Attach\(""([^""]+)""\)")]
    private static partial Regex Attach();

    [GeneratedRegex(@"SoftwareRss\.Pin")]
    private static partial Regex Pin();

    [GeneratedRegex(@"XdpAttachment\.Detach")]
    private static partial Regex Detach();

    [GeneratedRegex(@"spec\.Map\(""([^""]+)""\)\.MaxEntries = N or \.SetMaxEntriesToPossibleCpus\(\)")]
    private static partial Regex MaxEntries();

    [GeneratedRegex(@"spec\.Program\(""([^""]+)""\)\.SetType\(\.\.\.\), e\.g\. with BpfProgType\.Xdp or BpfProgType\.SocketFilter")]
    private static partial Regex ProgramType();
}
