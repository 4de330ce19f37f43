using System.CommandLine;
using System.Text.Json;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Programs.Redirect;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>
/// <c>cpumap status [--dev IF] [--json]</c>: which XDP program is on which device (every device with
/// one, or IF), in which mode, and, for cpumap's redirect, its CPUMAP entries with their remote programs
/// (<see cref="AttachedRedirect"/>). Read-only; opening programs and maps by id needs CAP_SYS_ADMIN.
/// </summary>
internal sealed class StatusCommand : Command
{
    public Option<string> Dev { get; } = RssOptions.Dev(required: false);

    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON instead of tables" };

    public StatusCommand() : base("status", "Show the XDP programs on the devices and the CPUMAP entries of cpumap's redirect (needs CAP_SYS_ADMIN)")
    {
        Options.Add(Dev);
        Options.Add(Json);
        SetAction(parse => RssConsole.Run(parse, "status", _ => Run(parse)));
    }

    private int Run(ParseResult parse)
    {
        var device = parse.GetValue(Dev);
        var found = device is null ? AttachedRedirect.OpenAll() : [AttachedRedirect.Open(device)];
        try
        {
            if (parse.GetValue(Json))
                WriteJson(parse.InvocationConfiguration.Output, found);
            else
                WriteTables(parse, found);
        }
        finally
        {
            foreach (var attached in found)
                attached.Dispose();
        }
        return 0;
    }

    private static void WriteTables(ParseResult parse, IReadOnlyList<AttachedRedirect> found)
    {
        var output = parse.InvocationConfiguration.Output;
        if (found.Count == 0)
        {
            output.WriteLine("no device has an XDP program");
            return;
        }
        var console = ObjectConsole.For(parse);
        var devices = ObjectConsole.Table("XDP programs", "device", "ifindex", "mode", "program id", "program", "cpumap redirect");
        foreach (var a in found)
            devices.AddTextRow(a.Device.Name, a.Device.Index.ToString(), Mode(a), a.Device.Xdp.ProgId.ToString(), a.ProgName ?? "-", a.IsSoftwareRss ? "yes" : "no");
        console.Write(devices);
        foreach (var a in found.Where(a => a.HasCpuMap))
        {
            var entries = ObjectConsole.Table($"{a.Device.Name}: CPUMAP entries", "CPU", "qsize", "remote program id", "remote program");
            foreach (var e in a.Entries)
                entries.AddTextRow(e.Cpu.ToString(), e.Qsize.ToString(), e.RemoteProgId == 0 ? "-" : e.RemoteProgId.ToString(), e.RemoteProgName ?? "none");
            console.Write(entries);
        }
    }

    private static string Mode(AttachedRedirect a) => a.Device.Xdp switch
    {
        { IsAttached: false } => "none",
        { Mode: { } mode } => KernelNames.Of(mode),
        _ => "multi",
    };

    private static void WriteJson(TextWriter output, IReadOnlyList<AttachedRedirect> found)
    {
        JsonOutput.Write(output, json =>
        {
            json.WriteStartArray();
            foreach (var a in found)
            {
                json.WriteStartObject();
                json.WriteString("device", a.Device.Name);
                json.WriteNumber("ifindex", a.Device.Index);
                json.WriteString("mode", Mode(a));
                json.WriteNumber("prog_id", a.Device.Xdp.ProgId);
                json.WriteString("prog_name", a.ProgName);
                json.WriteBoolean("cpumap_redirect", a.IsSoftwareRss);
                json.WriteStartArray("cpumap_entries");
                foreach (var e in a.Entries)
                {
                    json.WriteStartObject();
                    json.WriteNumber("cpu", e.Cpu);
                    json.WriteNumber("qsize", e.Qsize);
                    json.WriteNumber("remote_prog_id", e.RemoteProgId);
                    json.WriteString("remote_prog_name", e.RemoteProgName);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
        });
    }
}
