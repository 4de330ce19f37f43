using System.CommandLine;
using System.Globalization;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Maps;
using Spectre.Console;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>
/// <c>cpumap probe</c>: prints the possible and online CPUs, then creates a CPUMAP, sets an entry for
/// every possible CPU, reads them back in a table, removes them and closes the map
/// (<see cref="CpuMapProbe"/> does the work). Exit code 0 on success, 1 when the kernel or the
/// machine refuses, with the reason and the fix on standard error.
/// </summary>
internal sealed class ProbeCommand : Command
{
    /// <summary>--qsize: frames each entry's queue holds.</summary>
    public Option<uint> Qsize { get; } = RssOptions.Qsize();

    /// <summary>--remote-program: also give every entry a counting program that passes or drops.</summary>
    public Option<string?> RemoteProgram { get; } = new("--remote-program")
    {
        Description = "Also run a frame-counting XDP program on each remote CPU, ending with 'pass' or 'drop' (default: none)",
    };

    public ProbeCommand() : base("probe", "Print the possible and online CPUs; create a CPUMAP with an entry per possible CPU, read the entries back, remove them; list the optional kernel features found (needs CAP_BPF and CAP_NET_ADMIN)")
    {
        RemoteProgram.AcceptOnlyFromAmong("pass", "drop");
        Options.Add(Qsize);
        Options.Add(RemoteProgram);
        SetAction(Run);
    }

    private int Run(ParseResult parse)
    {
        var config = parse.InvocationConfiguration;
        var console = ObjectConsole.For(parse);
        var remote = parse.GetValue(RemoteProgram) switch
        {
            "pass" => XdpAction.Pass,
            "drop" => XdpAction.Drop,
            _ => (XdpAction?)null,
        };
        CpuMapProbeReport report;
        try
        {
            report = CpuMapProbe.Run(parse.GetValue(Qsize), remote);
        }
        catch (Exception e) when (e is BpfOperationException or FormatException)
        {
            config.Error.WriteLine($"cpumap probe: {e.Message}");
            return 1;
        }

        // Plain lines go straight to the output, so that a redirected one is not wrapped at 80 columns.
        var output = config.Output;
        output.WriteLine($"possible CPUs: {report.Possible} ({report.Possible.Count})");
        output.WriteLine($"online CPUs:   {report.Online} ({report.Online.Count})");
        output.WriteLine($"CPUMAP '{CpuMapProbe.MapName}' (id {report.MapId}): max_entries {report.MaxEntries}, " +
                          $"value {(int)report.Layout} bytes ({(report.Layout == Syscalls.Maps.CpuMapValueLayout.QsizeAndProg ? "qsize + remote program" : "qsize only, before Linux 5.9")})");
        var table = new Table().AddColumn("CPU").AddColumn(new TableColumn("qsize").RightAligned()).AddColumn(new TableColumn("remote program id").RightAligned());
        foreach (var entry in report.Entries)
            table.AddRow(entry.Cpu.ToString(CultureInfo.InvariantCulture), entry.Qsize.ToString(CultureInfo.InvariantCulture),
                entry.ProgId == 0 ? "none" : entry.ProgId.ToString(CultureInfo.InvariantCulture));
        console.Write(table);
        output.WriteLine($"set {report.Entries.Count} entries in {report.SetTime.TotalMilliseconds:F2} ms (each starts a kernel thread); " +
                          $"removed them ({report.EntriesAfterRemove} left) and closed the map.");
        WriteFeatures(console);
        return 0;
    }

    /// <summary>Each optional kernel feature as its probe found it; the version is where mainline Linux got it, for reference only.</summary>
    private static void WriteFeatures(IAnsiConsole console)
    {
        var table = ObjectConsole.Table("kernel features (probed)", ["feature", "state", "mainline since", "what the probe saw"]);
        foreach (var feature in KernelFeatures.All)
            table.AddTextRow([feature.Name, feature.State.ToString().ToLowerInvariant(), feature.Since, feature.Detail]);
        console.Write(table);
    }
}
