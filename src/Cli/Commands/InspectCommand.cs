using System.CommandLine;
using System.Text.Json;
using CpuMap.Managed.Elf;
using CpuMap.Managed.Elf.Btf;
using CpuMap.Managed.Loader;
using Spectre.Console;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>
/// <c>cpumap inspect FILE.o [--json]</c>: what a BPF object holds, read without the kernel: its
/// maps, programs (with how their sections load), global variables and relocations. Exit code 0,
/// or 1 with the reason on standard error when the file cannot be read as a BPF object.
/// </summary>
internal sealed class InspectCommand : Command
{
    /// <summary>The object file.</summary>
    public Argument<FileInfo> File { get; } = new("FILE.o") { Description = "A BPF object compiled by clang -target bpf" };

    /// <summary>--json: print JSON instead of tables.</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON instead of tables" };

    public InspectCommand() : base("inspect", "Show the maps, programs, global variables and relocations of a BPF object (no kernel needed)")
    {
        Arguments.Add(File);
        Options.Add(Json);
        SetAction(Run);
    }

    private int Run(ParseResult parse)
    {
        var file = parse.GetValue(File)!;
        BpfObjectSpec spec;
        try
        {
            spec = BpfObjectSpec.Open(file.FullName);
        }
        catch (BpfOperationException e)
        {
            return ObjectConsole.Fail(parse, "inspect", System.IO.File.Exists(file.FullName) ? e.Message : $"{file.FullName}: no such file");
        }
        if (parse.GetValue(Json))
            WriteJson(parse.InvocationConfiguration.Output, spec);
        else
            WriteTables(parse, spec);
        return 0;
    }

    private static void WriteTables(ParseResult parse, BpfObjectSpec spec)
    {
        var o = spec.Object;
        var console = ObjectConsole.For(parse);
        console.WriteLine($"{o.Name}: license {o.License ?? "(none)"}, {o.Maps.Count} maps, {o.Programs.Count} programs, " +
                          $"{o.Subprograms.Count} subprograms, {o.GlobalData.Count} global data sections");

        var maps = ObjectConsole.Table("maps", "name", "type", "key", "value", "max_entries", "flags", "section");
        foreach (var map in o.Maps)
            maps.AddTextRow(map.Name, KernelNames.Of(map.Type), map.KeySize.ToString(), map.ValueSize.ToString(),
                map.MaxEntries.ToString(), KernelNames.Of(map.MapFlags), map.SectionName);
        foreach (var data in o.GlobalData)
            maps.AddTextRow(data.Name, "BPF_MAP_TYPE_ARRAY", "4", data.Size.ToString(), "1",
                data.Kind == GlobalDataKind.ReadOnlyData ? "BPF_F_RDONLY_PROG" : "0", $"{data.Name} (map '{KernelObjectNames.GlobalDataMap(spec.ObjectName, data.Name)}')");
        console.Write(maps);
        foreach (var map in o.Maps)
            if (MapBtfFields(o, map) is { Count: > 0 } fields)
                parse.InvocationConfiguration.Output.WriteLine(
                    $"map '{map.Name}' is created with the object's BTF: its value holds {string.Join(", ", fields)}, which the kernel accepts only with map BTF");

        if (o.Externs.Count > 0)
        {
            var externs = ObjectConsole.Table("externs (resolved against the running kernel at load)", "name", "kind", "weak");
            foreach (var extern_ in o.Externs)
                externs.AddTextRow(extern_.Name, extern_.Kind == BpfExternKind.Kconfig ? "__kconfig" : extern_.IsFunction ? "__ksym kfunc" : "__ksym variable",
                    extern_.IsWeak ? "yes" : "no");
            console.Write(externs);
        }

        var programs = ObjectConsole.Table("programs", "name", "section", "type", "attach type", "flags", "insns");
        foreach (var program in o.Programs)
        {
            var section = ProgramSections.Find(program.SectionName);
            programs.AddTextRow(program.Name, program.SectionName, section?.ProgramTypeName ?? "unknown section",
                section?.ExpectedAttachTypeName ?? "-", section is null ? "-" : KernelNames.Of(section.Flags), program.InstructionCount.ToString());
        }
        foreach (var subprogram in o.Subprograms)
            programs.AddTextRow(subprogram.Name, subprogram.SectionName, "subprogram", "-", "-", subprogram.InstructionCount.ToString());
        console.Write(programs);

        var variables = ObjectConsole.Table("global variables", "name", "section", "offset", "size", "type", "value");
        foreach (var (section, variable) in spec.Variables.All)
            variables.AddTextRow(variable.Name, section.Name, variable.Offset.ToString(), variable.Size.ToString(),
                spec.Variables.TypeNameOf(variable), Shortened(spec.Variables.Format(section, variable)));
        console.Write(variables);

        var relocations = ObjectConsole.Table("relocations", "program", "insn", "kind", "target", "target offset");
        foreach (var program in o.Programs.Concat(o.Subprograms))
            foreach (var relocation in program.Relocations)
                relocations.AddTextRow(program.Name, relocation.InstructionIndex.ToString(), relocation.Kind.ToString(),
                    relocation.TargetName, relocation.TargetOffset.ToString());
        console.Write(relocations);

        // What `load` would refuse until it is given: sizes left to user space, program types no section tells.
        var unset = spec.Unset();
        if (unset.Count > 0)
        {
            // Plain lines, straight to the output: the console would wrap them at 80 columns when redirected.
            var output = parse.InvocationConfiguration.Output;
            output.WriteLine("to set before loading:");
            foreach (var line in unset)
                output.WriteLine($"  {line}");
        }
    }

    private static IReadOnlyList<string> MapBtfFields(BpfObject o, BpfMapDefinition map) =>
        o.Btf is not null && map.ValueTypeId != 0 ? BtfSpecialFields.Of(o.Btf, map.ValueTypeId) : [];

    // A struct or array shows as hex: its first bytes are enough to recognise it in a table (--json has all).
    private static string Shortened(string value) => value.Length <= 48 ? value : value[..48] + "…";

    private static void WriteJson(TextWriter output, BpfObjectSpec spec)
    {
        var o = spec.Object;
        JsonOutput.Write(output, json =>
        {
            json.WriteStartObject();
            json.WriteString("object", o.Name);
            json.WriteString("license", o.License);
            json.WriteStartArray("maps");
            foreach (var map in o.Maps)
            {
                json.WriteStartObject();
                json.WriteString("name", map.Name);
                json.WriteString("type", KernelNames.Of(map.Type));
                json.WriteNumber("type_id", (uint)map.Type); // the number as the object holds it, also for a type this tool does not name
                json.WriteNumber("key_size", map.KeySize);
                json.WriteNumber("value_size", map.ValueSize);
                json.WriteNumber("max_entries", map.MaxEntries);
                json.WriteStartArray("btf_fields");
                foreach (var field in MapBtfFields(o, map))
                    json.WriteStringValue(field);
                json.WriteEndArray();
                json.WriteNumber("map_flags", (uint)map.MapFlags);
                json.WriteString("section", map.SectionName);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("programs");
            foreach (var program in o.Programs.Concat(o.Subprograms))
            {
                var section = program.IsSubprogram ? null : ProgramSections.Find(program.SectionName);
                json.WriteStartObject();
                json.WriteString("name", program.Name);
                json.WriteString("section", program.SectionName);
                json.WriteBoolean("subprogram", program.IsSubprogram);
                json.WriteString("type", section?.ProgramTypeName);
                json.WriteString("attach_type", section?.ExpectedAttachTypeName);
                json.WriteNumber("prog_flags", (uint)(section?.Flags ?? 0));
                json.WriteNumber("instructions", program.InstructionCount);
                json.WriteStartArray("relocations");
                foreach (var relocation in program.Relocations)
                {
                    json.WriteStartObject();
                    json.WriteNumber("insn", relocation.InstructionIndex);
                    json.WriteString("kind", relocation.Kind.ToString());
                    json.WriteString("target", relocation.TargetName);
                    json.WriteNumber("target_offset", relocation.TargetOffset);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("global_data");
            foreach (var data in o.GlobalData)
            {
                json.WriteStartObject();
                json.WriteString("section", data.Name);
                json.WriteString("map_name", KernelObjectNames.GlobalDataMap(spec.ObjectName, data.Name));
                json.WriteNumber("size", data.Size);
                json.WriteBoolean("read_only", data.Kind == GlobalDataKind.ReadOnlyData);
                json.WriteStartArray("variables");
                foreach (var variable in data.Variables)
                {
                    json.WriteStartObject();
                    json.WriteString("name", variable.Name);
                    json.WriteNumber("offset", variable.Offset);
                    json.WriteNumber("size", variable.Size);
                    json.WriteString("type", spec.Variables.TypeNameOf(variable));
                    json.WriteString("value", spec.Variables.Format(data, variable));
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("externs");
            foreach (var extern_ in o.Externs)
            {
                json.WriteStartObject();
                json.WriteString("name", extern_.Name);
                json.WriteString("kind", extern_.Kind == BpfExternKind.Kconfig ? "kconfig" : extern_.IsFunction ? "kfunc" : "ksym");
                json.WriteBoolean("weak", extern_.IsWeak);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("to_set_before_loading");
            foreach (var line in spec.Unset())
                json.WriteStringValue(line);
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }
}
