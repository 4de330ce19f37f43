using System.CommandLine;
using System.Text.Json;
using CpuMap.Managed.Elf;
using CpuMap.Managed.Loader;
using Spectre.Console;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>
/// <c>cpumap load FILE.o [--set NAME=VALUE]... [--max-entries MAP=N]... [--program NAME]... [--type PROGRAM=TYPE[:ATTACH]]...
/// [--reuse MAP=PINPATH]... [--pin-root DIR] [--pin DIR] [--json]</c>: configures the object as a libbpf user would in code
/// (<see cref="SpecOptions"/>), creates its maps and loads its programs, prints each with its kernel id, and exits,
/// which closes them unless --pin keeps them in a BPF filesystem. Exit code 0, or 1 with the reason on standard error
/// (unreadable object, bad --set, verifier refusal with the log's last lines, missing privilege).
/// </summary>
internal sealed class LoadCommand : Command
{
    /// <summary>The object file.</summary>
    public Argument<FileInfo> File { get; } = new("FILE.o") { Description = "A BPF object compiled by clang -target bpf" };

    /// <summary>--set NAME=VALUE, repeatable: a global variable's value before loading.</summary>
    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "Set a global variable before loading, e.g. --set nr_cpus=2 (decimal, 0x hex, true/false); repeatable",
        AllowMultipleArgumentsPerToken = false,
        HelpName = "NAME=VALUE",
    };

    /// <summary>--pin DIR: keep everything pinned under DIR (maps/NAME, progs/NAME).</summary>
    public Option<string?> Pin { get; } = new("--pin")
    {
        Description = "Pin maps at DIR/maps/NAME and programs at DIR/progs/NAME on a BPF filesystem, so they outlive the command",
        HelpName = "DIR",
    };

    /// <summary>--json: print JSON instead of tables.</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON instead of tables" };

    private readonly SpecOptions _spec = new();

    /// <summary>--trace: each kernel request of the load on standard error.</summary>
    public Option<bool> Trace { get; } = TraceOption.Create();

    public LoadCommand() : base("load", "Create the maps and load the programs of a BPF object into the kernel (needs CAP_BPF; CAP_NET_ADMIN for networking programs, CAP_PERFMON for tracing ones)")
    {
        Arguments.Add(File);
        Options.Add(Set);
        Options.Add(Pin);
        _spec.AddTo(this);
        Options.Add(Json);
        Options.Add(Trace);
        SetAction(Run);
    }

    private int Run(ParseResult parse)
    {
        var file = parse.GetValue(File)!;
        if (!System.IO.File.Exists(file.FullName))
            return ObjectConsole.Fail(parse, "load", $"{file.FullName}: no such file");
        BpfObjectSpec spec;
        try
        {
            spec = BpfObjectSpec.Open(file.FullName);
        }
        catch (BpfOperationException e)
        {
            return ObjectConsole.Fail(parse, "load", e.Message);
        }

        foreach (var assignment in parse.GetValue(Set) ?? [])
        {
            var equals = assignment.IndexOf('=');
            if (equals <= 0 || equals == assignment.Length - 1)
                return ObjectConsole.Fail(parse, "load", $"--set '{assignment}' is not NAME=VALUE; write e.g. --set nr_cpus=2");
            try
            {
                spec.Variables.SetFromString(assignment[..equals].Trim(), assignment[(equals + 1)..]);
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                return ObjectConsole.Fail(parse, "load", $"--set '{assignment}': {ObjectConsole.Sentence(e)}");
            }
        }

        if (_spec.Apply(parse, spec) is { } error)
            return ObjectConsole.Fail(parse, "load", error);

        BpfCollection collection;
        using var trace = TraceOption.Start(parse, Trace);
        try
        {
            collection = spec.Load(new BpfLoadOptions { PinDirectory = parse.GetValue(Pin), PinRoot = _spec.Root(parse) });
        }
        catch (BpfOperationException e)
        {
            return ObjectConsole.Fail(parse, "load", e.Message);
        }
        using (collection)
        {
            // On standard error, so that --json output stays one document.
            if (collection.MountedBpfFs is { } mounted)
                parse.InvocationConfiguration.Error.WriteLine($"cpumap load: mounted a BPF filesystem at {mounted} (none was mounted there) for the pins");
            foreach (var warning in collection.Warnings)
                parse.InvocationConfiguration.Error.WriteLine($"cpumap load: warning: {warning}");
            if (parse.GetValue(Json))
                WriteJson(parse.InvocationConfiguration.Output, collection);
            else
                WriteTables(parse, collection);
        }
        return 0;
    }

    private static void WriteTables(ParseResult parse, BpfCollection collection)
    {
        var console = ObjectConsole.For(parse);
        var pinned = collection.PinDirectory is not null;
        var maps = ObjectConsole.Table("maps", pinned ? ["name", "kernel name", "id", "type", "key", "value", "max_entries", "pinned at"] : ["name", "kernel name", "id", "type", "key", "value", "max_entries"]);
        foreach (var map in collection.Maps)
        {
            string[] cells = [map.Name, map.KernelName, map.Id.ToString(), KernelNames.Of(map.Fd.Type), map.Fd.KeySize.ToString(), map.Fd.ValueSize.ToString(), map.Fd.MaxEntries.ToString()];
            maps.AddTextRow(pinned ? [.. cells, map.PinPath ?? ""] : cells);
        }
        console.Write(maps);
        var programs = ObjectConsole.Table("programs", pinned ? ["name", "kernel name", "id", "type", "attach type", "insns", "pinned at"] : ["name", "kernel name", "id", "type", "attach type", "insns"]);
        foreach (var program in collection.Programs)
        {
            string[] cells = [program.Name, program.KernelName, program.Id.ToString(), program.Section.ProgramTypeName, program.Section.ExpectedAttachTypeName ?? "-", program.InstructionCount.ToString()];
            programs.AddTextRow(pinned ? [.. cells, program.PinPath ?? ""] : cells);
        }
        console.Write(programs);
        console.WriteLine(pinned
            ? $"Pinned in {collection.PinDirectory}; remove that folder to unload them."
            : "Closed on exit: the kernel frees them now (use --pin DIR to keep them).");
    }

    private static void WriteJson(TextWriter output, BpfCollection collection)
    {
        JsonOutput.Write(output, json =>
        {
            json.WriteStartObject();
            json.WriteString("object", collection.ObjectName);
            json.WriteString("pin_directory", collection.PinDirectory);
            json.WriteStartArray("maps");
            foreach (var map in collection.Maps)
            {
                json.WriteStartObject();
                json.WriteString("name", map.Name);
                json.WriteString("kernel_name", map.KernelName);
                json.WriteNumber("id", map.Id);
                json.WriteString("type", KernelNames.Of(map.Fd.Type));
                json.WriteNumber("key_size", map.Fd.KeySize);
                json.WriteNumber("value_size", map.Fd.ValueSize);
                json.WriteNumber("max_entries", map.Fd.MaxEntries);
                json.WriteNumber("map_flags", (uint)map.Fd.Flags);
                json.WriteString("pinned", map.PinPath);
                json.WriteString("pinned_by_name", map.PinnedByName);
                json.WriteBoolean("reused", map.Reused);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("programs");
            foreach (var program in collection.Programs)
            {
                json.WriteStartObject();
                json.WriteString("name", program.Name);
                json.WriteString("kernel_name", program.KernelName);
                json.WriteNumber("id", program.Id);
                json.WriteString("section", program.Program.SectionName);
                json.WriteString("type", program.Section.ProgramTypeName);
                json.WriteString("attach_type", program.Section.ExpectedAttachTypeName);
                json.WriteNumber("instructions", program.InstructionCount);
                json.WriteString("pinned", program.PinPath);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }
}
