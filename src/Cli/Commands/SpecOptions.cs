using System.CommandLine;
using System.Globalization;
using CpuMap.Managed.Loader;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Cli.Commands;

/// <summary>
/// The options that configure an object before it is loaded, as libbpf users do in code between open and load:
/// map sizes, the programs to load, program types the section does not tell, maps to reuse from a pin, the pin root
/// for LIBBPF_PIN_BY_NAME. Each one calls the library's <see cref="BpfObjectSpec"/>; names are checked against the object.
/// </summary>
internal sealed class SpecOptions
{
    public const string PossibleCpus = "possible-cpus";

    public Option<string[]> MaxEntries { get; } = new("--max-entries")
    {
        Description = $"Size a map before loading: MAP=N, or MAP={PossibleCpus} for one entry per possible CPU (what a CPUMAP needs); repeatable",
        HelpName = "MAP=N",
    };

    public Option<string[]> Program { get; } = new("--program")
    {
        Description = "Load only this program of the object (and the others named so); repeatable. Default: every program",
        HelpName = "NAME",
    };

    public Option<string[]> Type { get; } = new("--type")
    {
        Description = "Load PROGRAM as TYPE (e.g. socket_filter, xdp) with expected attach type ATTACH, where its section does not tell; repeatable",
        HelpName = "PROGRAM=TYPE[:ATTACH]",
    };

    public Option<string[]> Reuse { get; } = new("--reuse")
    {
        Description = "Use the map pinned at PINPATH instead of creating MAP (it must have the same type, sizes and flags); repeatable",
        HelpName = "MAP=PINPATH",
    };

    public Option<string?> PinRoot { get; } = new("--pin-root")
    {
        Description = $"Where maps declared with LIBBPF_PIN_BY_NAME are pinned and shared, as DIR/NAME (default {BpfFs.DefaultRoot})",
        HelpName = "DIR",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(MaxEntries);
        command.Options.Add(Program);
        command.Options.Add(Type);
        command.Options.Add(Reuse);
        command.Options.Add(PinRoot);
    }

    /// <summary>Applies every option to <paramref name="spec"/>; returns the first error as a sentence for the user, or null.</summary>
    public string? Apply(ParseResult parse, BpfObjectSpec spec)
    {
        try
        {
            foreach (var text in parse.GetValue(MaxEntries) ?? [])
            {
                var (name, value) = Split(text, "--max-entries", "MAP=N", "cpu_map=possible-cpus");
                var map = spec.Map(name);
                if (value == PossibleCpus)
                    map.SetMaxEntriesToPossibleCpus();
                else if (uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var entries) && entries > 0)
                    map.MaxEntries = entries;
                else
                    throw new FormatException($"--max-entries '{text}': '{value}' is not a map size: give a number of entries from 1, or {PossibleCpus}.");
            }
            if (parse.GetValue(Program) is { Length: > 0 } programs)
                spec.LoadOnly(programs);
            foreach (var text in parse.GetValue(Type) ?? [])
            {
                var (name, value) = Split(text, "--type", "PROGRAM=TYPE[:ATTACH]", "filter_prog=socket_filter");
                var colon = value.IndexOf(':');
                var typeText = colon < 0 ? value : value[..colon];
                if (!KernelNames.TryParse<BpfProgType>(typeText, "BPF_PROG_TYPE_", out var type) || type == BpfProgType.Unspec)
                    throw new FormatException($"--type '{text}': '{typeText}' is not a program type; use one of: " +
                        string.Join(", ", KernelNames.LowerNames<BpfProgType>().Skip(1)) + ".");
                BpfAttachType? attach = null;
                if (colon >= 0)
                {
                    if (!KernelNames.TryParse<BpfAttachType>(value[(colon + 1)..], "BPF_", out var parsed))
                        throw new FormatException($"--type '{text}': '{value[(colon + 1)..]}' is not an attach type; use one of: " +
                            string.Join(", ", KernelNames.LowerNames<BpfAttachType>()) + ".");
                    attach = parsed;
                }
                spec.Program(name).SetType(type, attach);
            }
            foreach (var text in parse.GetValue(Reuse) ?? [])
            {
                var (name, path) = Split(text, "--reuse", "MAP=PINPATH", "cpu_map=/sys/fs/bpf/cpu_map");
                spec.Map(name).ReusePinned(path);
            }
            return null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or BpfLoadException)
        {
            return ObjectConsole.Sentence(e);
        }
    }

    /// <summary>The pin root for LIBBPF_PIN_BY_NAME maps the user gave, else the default.</summary>
    public string Root(ParseResult parse) => parse.GetValue(PinRoot) ?? BpfFs.DefaultRoot;

    private static (string Name, string Value) Split(string text, string option, string form, string example)
    {
        var equals = text.IndexOf('=');
        if (equals <= 0 || equals == text.Length - 1)
            throw new FormatException($"{option} '{text}' is not {form}; write e.g. {option} {example}.");
        return (text[..equals].Trim(), text[(equals + 1)..].Trim());
    }
}
