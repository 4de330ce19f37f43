using CpuMap.Managed.Elf;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader;

/// <summary>
/// One entry program of an object as it will be loaded, editable until <see cref="BpfObjectSpec.Load"/>: whether it is
/// loaded at all (libbpf's <c>bpf_program__set_autoload</c>), and its program type and expected attach type where the
/// section name does not say them (<c>bpf_program__set_type</c>, <c>bpf_program__set_expected_attach_type</c>).
/// </summary>
public sealed class ProgramSpec
{
    private ProgramSection? _set;

    internal ProgramSpec(BpfProgram program) => Program = program;

    /// <summary>The program as the object holds it.</summary>
    public BpfProgram Program { get; }

    /// <summary>The program's function name.</summary>
    public string Name => Program.Name;

    /// <summary>Its ELF section, e.g. "xdp" or "xdp/cpumap".</summary>
    public string SectionName => Program.SectionName;

    /// <summary>Whether <see cref="BpfObjectSpec.Load"/> loads it; true to start with.</summary>
    public bool Autoload { get; set; } = true;

    /// <summary>
    /// How it is loaded: what <see cref="SetType"/> gave, else what its section name means in libbpf's table, else null
    /// (a section libbpf does not know, e.g. Suricata's "filter": set the type before loading).
    /// </summary>
    public ProgramSection? Section => _set ?? ProgramSections.Find(SectionName);

    /// <summary>
    /// Loads it as <paramref name="type"/> with <paramref name="expectedAttachType"/> and <paramref name="flags"/>, whatever
    /// its section says.
    /// </summary>
    public ProgramSpec SetType(BpfProgType type, BpfAttachType? expectedAttachType = null, BpfProgFlags flags = BpfProgFlags.None)
    {
        if (type == BpfProgType.Unspec || !Enum.IsDefined(type))
            throw new ArgumentOutOfRangeException(nameof(type), type, $"'{type}' is not a program type; pick a BpfProgType member such as {nameof(BpfProgType.Xdp)}.");
        if (expectedAttachType is { } attach && !Enum.IsDefined(attach))
            throw new ArgumentOutOfRangeException(nameof(expectedAttachType), attach, "Not an attach type; pick a BpfAttachType member or null.");
        _set = new ProgramSection(SectionName, type, expectedAttachType, flags);
        return this;
    }

    /// <inheritdoc/>
    public override string ToString() => $"program '{Name}' in section '{SectionName}'" +
        (Section is { } section ? $" ({section.ProgramTypeName})" : " (type unknown)") + (Autoload ? "" : ", not loaded");
}
