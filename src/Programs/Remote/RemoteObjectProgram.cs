using CpuMap.Managed.Loader;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Programs.Redirect;

namespace CpuMap.Managed.Programs.Remote;

/// <summary>
/// A remote-CPU program from the user's own object file (<see cref="RemoteAction.UserProgram"/>): the object loaded
/// with the project's loader (its maps too, which the program may count into) and the one program
/// picked by name, checked to be a CPUMAP program before anything is loaded. Give
/// <see cref="Program"/> to <see cref="CpuRedirect.Configure(IReadOnlyList{int}, uint, ProgFd?)"/>.
/// Disposing closes the object's programs and maps (CPUMAP entries that use the program keep it alive).
/// </summary>
public sealed class RemoteObjectProgram : IDisposable
{
    private RemoteObjectProgram(string path, BpfCollection collection, LoadedProgram program)
    {
        Path = path;
        Collection = collection;
        Loaded = program;
    }

    /// <summary>The object file.</summary>
    public string Path { get; }

    /// <summary>Everything the object made: its maps (to read what the program counts) and programs.</summary>
    public BpfCollection Collection { get; }

    /// <summary>The chosen program as loaded, with its section.</summary>
    public LoadedProgram Loaded { get; }

    /// <summary>The chosen program, for CPUMAP entries.</summary>
    public ProgFd Program => Loaded.Fd;

    /// <summary>
    /// Reads the object at <paramref name="path"/>, checks that <paramref name="programName"/> is in a
    /// CPUMAP program section (<c>SEC("xdp/cpumap")</c>: expected attach type BPF_XDP_CPUMAP, no XDP
    /// frags), then loads the object.
    /// </summary>
    /// <param name="path">A clang-compiled BPF object (<c>clang -O2 -g -target bpf</c>).</param>
    /// <param name="programName">The function name of the program, as in the C source.</param>
    /// <param name="options">Loader options (pinning, verifier log level), or null.</param>
    /// <param name="entry">Where the program will run: BPF_XDP_CPUMAP (a CPUMAP entry, <c>SEC("xdp/cpumap")</c>) or
    /// BPF_XDP_DEVMAP (a DEVMAP entry's egress program, <c>SEC("xdp/devmap")</c>).</param>
    public static RemoteObjectProgram Load(string path, string programName, BpfLoadOptions? options = null, BpfAttachType entry = BpfAttachType.XdpCpumap)
    {
        if (entry is not (BpfAttachType.XdpCpumap or BpfAttachType.XdpDevmap))
            throw new ArgumentOutOfRangeException(nameof(entry), entry, "A program from an object runs in a CPUMAP entry (XdpCpumap) or a DEVMAP entry (XdpDevmap).");
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(programName);
        var (mapKind, sectionName, role) = entry == BpfAttachType.XdpCpumap ? ("CPUMAP", "xdp/cpumap", "remote-CPU") : ("DEVMAP", "xdp/devmap", "egress");
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"The object file '{path}' for the {role} program '{programName}' does not exist; give the path of a clang-compiled BPF object (.o).", path);
        var spec = BpfObjectSpec.Open(path);
        var program = spec.Object.Programs.FirstOrDefault(p => p.Name == programName) ?? throw new BpfOperationException(BpfLoadException.LoadOperation,
            $"{path} has no program '{programName}'; its programs are: {string.Join(", ", spec.Object.Programs.Select(p => $"{p.Name} (section {p.SectionName})"))}.");
        CheckSection(path, programName, spec.SectionOf(program), entry, mapKind, sectionName);
        var collection = spec.Load(options);
        try
        {
            return new RemoteObjectProgram(path, collection, collection.GetProgram(programName));
        }
        catch
        {
            collection.Dispose();
            throw;
        }
    }

    /// <summary>Closes the object's programs and maps.</summary>
    public void Dispose() => Collection.Dispose();

    private static void CheckSection(string path, string programName, ProgramSection section, BpfAttachType entry, string mapKind, string sectionName)
    {
        // The kernel answers with a bare errno (ENOMEM for a CPUMAP entry), which explains nothing: say it here instead.
        if (section.ProgramType != BpfProgType.Xdp || section.ExpectedAttachType != entry)
            throw new BpfOperationException(BpfLoadException.LoadOperation,
                $"Program '{programName}' in {path} is in section '{section.Prefix}' ({section.ProgramTypeName}, expected attach type " +
                $"{section.ExpectedAttachTypeName ?? "none"}); a {mapKind} entry runs only XDP programs loaded with expected attach type " +
                $"BPF_XDP_{mapKind} (the kernel refuses others). Put it in SEC(\"{sectionName}\") and rebuild the object.");
        if ((section.Flags & BpfProgFlags.XdpHasFrags) != 0)
            throw new BpfOperationException(BpfLoadException.LoadOperation,
                $"Program '{programName}' in {path} is in section '{section.Prefix}', which loads it with BPF_F_XDP_HAS_FRAGS; the redirect " +
                $"programs here are loaded without frags, and the first program to use a {mapKind} fixes its frags setting, so the kernel would " +
                $"refuse this one. Put it in SEC(\"{sectionName}\") and rebuild the object.");
    }
}
