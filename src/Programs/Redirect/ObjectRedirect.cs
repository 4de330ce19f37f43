using CpuMap.Managed.Loader;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Programs.Remote;

namespace CpuMap.Managed.Programs.Redirect;

/// <summary>
/// A user's own CPUMAP redirect program, from a clang-built object, run as the redirect instead of this project's. Its
/// maps are filled by the convention that the kernel documentation's example (the seed), xdp-bench and Suricata follow:
/// <list type="bullet">
/// <item>a CPUMAP (the only one, or the one named): an entry per chosen CPU;</item>
/// <item>an array of the CPUs to use (<c>cpus_available</c>): the chosen CPUs by position;</item>
/// <item>their count: a one-entry array <c>cpus_count</c> (xdp-bench), else a global <c>cpus_count</c>, else a global
/// <c>nr_cpus</c> (the seed); where <c>cpus_count</c> exists, a global <c>nr_cpus</c> is the possible-CPU bound
/// (xdp-bench's meaning);</item>
/// <item>every map left at max_entries 0: one entry per possible CPU.</item>
/// </list>
/// A count held in global data is read-only once loaded, so such a redirect keeps the number of CPUs it was loaded with.
/// </summary>
public sealed class ObjectRedirect : CpuRedirect
{
    /// <summary>The names the convention looks for, where the caller names none.</summary>
    public const string CpusAvailableName = "cpus_available", CpusCountName = "cpus_count", NrCpusName = "nr_cpus";

    private readonly int? _frozenCount;

    private ObjectRedirect(RedirectMaps maps, ProgFd program, string source, int? frozenCount)
        : base(maps, stats: null, instructions: null, program)
    {
        Source = source;
        _frozenCount = frozenCount;
    }

    /// <summary>Where the program came from, as FILE.o:PROGRAM.</summary>
    public string Source { get; }

    /// <summary>Null: the user's program picks CPUs its own way.</summary>
    public override RssMode? Mode => null;

    /// <inheritdoc />
    public override string ToString() => $"program {Source}";

    /// <summary>
    /// Loads <paramref name="programName"/> from the object at <paramref name="path"/> with its maps filled by the convention
    /// for <paramref name="cpus"/>; <see cref="CpuRedirect.Configure(IReadOnlyList{int}, uint, ProgFd?)"/> then sets the entries.
    /// </summary>
    /// <param name="path">The object file.</param>
    /// <param name="programName">Its XDP program that redirects into the CPUMAP.</param>
    /// <param name="cpus">The CPUs it will send to (the count that global data holds).</param>
    /// <param name="cpuMapName">The CPUMAP's name, where the object has more than one; null to take its only one.</param>
    /// <param name="cpusAvailableName">The name of its array of CPUs.</param>
    /// <exception cref="Elf.BpfObjectException">The file is not a BPF object.</exception>
    /// <exception cref="BpfLoadException">It does not follow the convention (the message says which map it expected and how to name it), or the kernel refused it.</exception>
    public static ObjectRedirect Load(string path, string programName, IReadOnlyList<int> cpus, string? cpuMapName = null, string cpusAvailableName = CpusAvailableName)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(programName);
        ArgumentNullException.ThrowIfNull(cpus);
        var spec = BpfObjectSpec.Open(path);
        var source = $"{Path.GetFileName(path)}:{programName}";
        var program = spec.Programs.FirstOrDefault(p => p.Name == programName) ?? throw new BpfLoadException(spec.Object.Name, null, programName,
            $"the object has no program '{programName}'; its programs are: {string.Join(", ", spec.Programs.Select(p => p.Name))}");
        if (program.Section?.ProgramType != BpfProgType.Xdp || program.Section.ExpectedAttachType is BpfAttachType.XdpCpumap or BpfAttachType.XdpDevmap)
            throw new BpfLoadException(spec.Object.Name, null, programName,
                $"section '{program.SectionName}' does not make it a device XDP program (SEC(\"xdp\")), which the redirect must be; " +
                "a SEC(\"xdp/cpumap\") program runs on the remote CPU instead: give it as the remote program (RemoteAction.UserProgram)");
        spec.LoadOnly(programName);

        var cpuMap = FindCpuMap(spec, cpuMapName);
        var cpusAvailable = Expect(spec, cpusAvailableName, BpfMapType.Array, "the array of CPUs to send to (cpus_available), " +
            "an ARRAY of __u32 CPU numbers by position", "cpusAvailableName (SoftwareRssOptions.CpusAvailableName)");
        var countMap = spec.Maps.FirstOrDefault(m => m.Name == CpusCountName);
        foreach (var map in spec.Maps.Where(m => m.MaxEntries == 0))
            map.SetMaxEntriesToPossibleCpus();
        int? frozenCount = null;
        if (countMap is null)
        {
            var global = spec.Variables.All.Select(v => v.Variable.Name).FirstOrDefault(n => n is CpusCountName or NrCpusName)
                ?? throw new BpfLoadException(spec.Object.Name, null, null,
                    $"it has no count of the CPUs to use: expected a one-entry ARRAY map '{CpusCountName}' (as xdp-bench has) or a global " +
                    $"variable '{CpusCountName}' or '{NrCpusName}' (as the kernel documentation's example has)");
            spec.Variables.SetFromString(global, cpus.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            frozenCount = cpus.Count;
        }
        else if (spec.Variables.All.Any(v => v.Variable.Name == NrCpusName))
        {
            spec.Variables.SetFromString(NrCpusName, MapSpec.PossibleCpus.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var collection = spec.Load();
        try
        {
            var maps = RedirectMaps.Of(BpfCpuMap.Open(collection.GetMap(cpuMap.Name).Fd), collection.GetMap(cpusAvailable.Name).Fd,
                countMap is null ? null : collection.GetMap(countMap.Name).Fd, collection);
            return new ObjectRedirect(maps, collection.GetProgram(programName).Fd, source, frozenCount);
        }
        catch
        {
            collection.Dispose();
            throw;
        }
    }

    private protected override void CheckConfiguration(int[] cpus)
    {
        if (_frozenCount is { } count && cpus.Length != count)
            throw new BpfOperationException("configure redirect",
                $"{Source} holds its CPU count in read-only global data, loaded as {count}: it cannot send to {cpus.Length} CPUs. " +
                "Load it again with the new list.");
    }

    private static MapSpec FindCpuMap(BpfObjectSpec spec, string? name)
    {
        if (name is not null)
            return Expect(spec, name, BpfMapType.Cpumap, "the CPUMAP frames are redirected into", "cpuMapName (SoftwareRssOptions.CpuMapName)");
        var cpuMaps = spec.Maps.Where(m => m.Type == BpfMapType.Cpumap).ToList();
        return cpuMaps.Count switch
        {
            1 => cpuMaps[0],
            0 => throw new BpfLoadException(spec.Object.Name, null, null,
                "it has no BPF_MAP_TYPE_CPUMAP map: a CPU redirect program sends frames with bpf_redirect_map() into one"),
            _ => throw new BpfLoadException(spec.Object.Name, null, null,
                $"it has {cpuMaps.Count} CPUMAPs ({string.Join(", ", cpuMaps.Select(m => m.Name))}): name the one to fill with cpuMapName (SoftwareRssOptions.CpuMapName)"),
        };
    }

    private static MapSpec Expect(BpfObjectSpec spec, string name, BpfMapType type, string what, string option)
    {
        var map = spec.Maps.FirstOrDefault(m => m.Name == name) ?? throw new BpfLoadException(spec.Object.Name, null, null,
            $"it has no map '{name}', {what}; its maps are: {string.Join(", ", spec.Maps.Select(m => m.Name))}. Name the right one with {option}");
        if (map.Type != type || (type == BpfMapType.Array && (map.KeySize != 4 || map.ValueSize != 4)))
            throw new BpfLoadException(spec.Object.Name, map.Name, null,
                $"it is {map}, not {what}. Name the right one with {option}");
        return map;
    }
}
