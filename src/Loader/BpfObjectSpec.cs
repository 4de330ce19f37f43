using CpuMap.Managed.Elf;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader;

/// <summary>
/// An object read from a file and not yet in the kernel: set its global variables, then
/// <see cref="Load"/> it. Reading touches no kernel; loading creates the maps, relocates and
/// loads the programs, and returns them as one <see cref="BpfCollection"/>.
/// </summary>
public sealed class BpfObjectSpec
{
    private BpfObjectSpec(BpfObject bpfObject)
    {
        Object = bpfObject;
        ObjectName = KernelObjectNames.ObjectName(bpfObject.Name);
        Variables = new GlobalVariables(bpfObject);
        Maps = [.. bpfObject.Maps.Select(definition => new MapSpec(bpfObject.Name, definition))];
        Programs = [.. bpfObject.Programs.Select(program => new ProgramSpec(program))];
    }

    /// <summary>The parsed object.</summary>
    public BpfObject Object { get; }

    /// <summary>libbpf's name for the object: the file name up to its first '.'; it prefixes global data map names.</summary>
    public string ObjectName { get; }

    /// <summary>The global variables, settable until <see cref="Load"/>.</summary>
    public GlobalVariables Variables { get; }

    /// <summary>The declared maps (not global data: see <see cref="Variables"/>), editable until <see cref="Load"/>.</summary>
    public IReadOnlyList<MapSpec> Maps { get; }

    /// <summary>The entry programs, editable until <see cref="Load"/>.</summary>
    public IReadOnlyList<ProgramSpec> Programs { get; }

    /// <summary>The map named <paramref name="name"/>; an unknown name throws, listing the object's maps.</summary>
    public MapSpec Map(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Maps.FirstOrDefault(m => m.Name == name) ?? throw new ArgumentException(
            $"{Object.Name} has no map named '{name}'; its maps are: {NamesOrNone(Maps.Select(m => m.Name))}.", nameof(name));
    }

    /// <summary>The entry program named <paramref name="name"/>; an unknown name throws, listing the object's programs.</summary>
    public ProgramSpec Program(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Programs.FirstOrDefault(p => p.Name == name) ?? throw new ArgumentException(
            $"{Object.Name} has no entry program named '{name}'; its programs are: {NamesOrNone(Programs.Select(p => p.Name))}.", nameof(name));
    }

    /// <summary>Loads only the programs named (libbpf's autoload switched off for the others).</summary>
    public BpfObjectSpec LoadOnly(params IEnumerable<string> names)
    {
        var chosen = names.Select(Program).ToHashSet();
        foreach (var program in Programs)
            program.Autoload = chosen.Contains(program);
        return this;
    }

    /// <summary>
    /// What must still be set before <see cref="Load"/> can succeed, one sentence each: maps left at max_entries 0 and
    /// programs in sections that do not tell their type. Empty when nothing is missing.
    /// </summary>
    public IReadOnlyList<string> Unset()
    {
        var unset = new List<string>();
        foreach (var map in Maps)
            if (map.MaxEntries == 0 && map.Reused is null && map.ReusedPin is null)
                unset.Add($"map '{map.Name}': max_entries is 0, so user space must size it ({SizeHint(map.Name)})");
        foreach (var program in Programs)
            if (program.Autoload && program.Section is null)
                unset.Add($"program '{program.Name}': section '{program.SectionName}' does not tell its type ({TypeHint(program.Name)})");
        return unset;
    }

    internal static string SizeHint(string map) =>
        $"spec.Map(\"{map}\").MaxEntries = N or .SetMaxEntriesToPossibleCpus()";

    internal static string TypeHint(string program) =>
        $"spec.Program(\"{program}\").SetType(...), e.g. with BpfProgType.Xdp or BpfProgType.SocketFilter";

    private static string NamesOrNone(IEnumerable<string> names) => string.Join(", ", names) is { Length: > 0 } list ? list : "none";

    /// <summary>Reads the object at <paramref name="path"/>; a bad file throws <see cref="BpfObjectException"/>.</summary>
    public static BpfObjectSpec Open(string path) => new(BpfObject.Load(path));

    /// <summary>Wraps an object already read.</summary>
    public static BpfObjectSpec From(BpfObject bpfObject)
    {
        ArgumentNullException.ThrowIfNull(bpfObject);
        return new BpfObjectSpec(bpfObject);
    }

    /// <summary>Shorthand for <see cref="GlobalVariables.Set{T}"/>.</summary>
    public BpfObjectSpec Set<T>(string name, T value) where T : unmanaged
    {
        Variables.Set(name, value);
        return this;
    }

    /// <summary>
    /// How <paramref name="program"/> is loaded: the type its <see cref="ProgramSpec"/> was given, else what its section
    /// name means; a section that does not tell throws, naming it and how to give the type.
    /// </summary>
    public ProgramSection SectionOf(BpfProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var spec = Programs.FirstOrDefault(p => ReferenceEquals(p.Program, program));
        return (spec is not null ? spec.Section : ProgramSections.Find(program.SectionName)) ?? throw new BpfLoadException(Object.Name, null, program.Name,
            $"section '{program.SectionName}' is not a program section this loader knows, so it cannot tell the program type: " +
            $"give it ({TypeHint(program.Name)}), or use a libbpf section name: {string.Join(", ", ProgramSections.Known)}");
    }

    /// <summary>
    /// Creates every map, loads every program and, with <see cref="BpfLoadOptions.PinDirectory"/>,
    /// pins them. Failures throw <see cref="BpfLoadException"/> after closing everything made so far.
    /// </summary>
    public BpfCollection Load(BpfLoadOptions? options = null)
    {
        options ??= new BpfLoadOptions();
        if (options.LogLevel > 2)
            throw new ArgumentOutOfRangeException(nameof(options), options.LogLevel,
                $"{nameof(BpfLoadOptions.LogLevel)} {options.LogLevel} is not a verifier log level: use 0 (a log only on failure), 1 or 2.");
        if (options.PinDirectory is "")
            throw new ArgumentException($"{nameof(BpfLoadOptions.PinDirectory)} is empty: give a folder on a BPF filesystem, or null to pin nothing.", nameof(options));
        var mountedBpfFs = options.PinDirectory is { } pins ? EnsureBpfFs(pins) : null;
        // A folder the caller made stays when unpinning; only what the load created is removed.
        var ownsPinDirectory = options.PinDirectory is { } pinDirectory && !Directory.Exists(pinDirectory);
        var maps = new List<LoadedMap>(Object.Maps.Count + Object.GlobalData.Count);
        var programs = new List<LoadedProgram>(Object.Programs.Count);
        ProgramBtf? programBtf = null;
        try
        {
            // Before any map: an object whose externs or CO-RE relocations this kernel cannot satisfy fails with nothing made.
            var symbols = KernelSymbols.Resolve(Object);
            var kconfig = Object.Externs.Any(e => e.Kind == BpfExternKind.Kconfig) ? KconfigMap.For(Object) : null;
            programBtf = ProgramBtf.Load(Object);
            foreach (var map in Maps)
                maps.Add(CreateOrReuse(map, options, programBtf.Fd));
            foreach (var section in Object.GlobalData)
            {
                if (section.Size == 0)
                    continue;
                var kernelName = KernelObjectNames.GlobalDataMap(ObjectName, section.Name);
                maps.Add(new LoadedMap(section.Name, kernelName, MapCreator.CreateGlobalData(Object.Name, kernelName, section, Variables.ValueOf(section)), null, section));
            }
            if (kconfig is { Value.Length: > 0 })
            {
                var kernelName = KernelObjectNames.GlobalDataMap(ObjectName, KconfigMap.Name);
                maps.Add(new LoadedMap(KconfigMap.Name, kernelName, MapCreator.CreateReadOnly(Object.Name, kernelName, KconfigMap.Name, kconfig.Value), null, null));
            }
            var externs = new ResolvedExterns(symbols, kconfig?.Offsets ?? new Dictionary<string, int>());
            foreach (var map in maps)
                if (map.Definition is { InitialValues.Count: > 0, Type: BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps } definition)
                    InitialValues.Fill(Object.Name, map, definition, name => Find(maps, name, definition).Fd);

            foreach (var program in Programs)
                if (program.Autoload)
                    programs.Add(LoadProgram(program.Program, maps, options, programBtf, externs));

            foreach (var map in maps)
                if (map.Definition is { InitialValues.Count: > 0, Type: BpfMapType.ProgArray } definition)
                    InitialValues.Fill(Object.Name, map, definition, name => FindProgram(programs, name, definition).Fd);

            if (options.PinDirectory is { } directory)
                PinAll(directory, maps, programs);
            return new BpfCollection(Object.Name, maps, programs, options.PinDirectory, ownsPinDirectory)
            {
                MountedBpfFs = mountedBpfFs,
                Warnings = programBtf.Warning is { } warning ? [warning] : [],
            };
        }
        catch
        {
            foreach (var program in programs)
            {
                Pinning.Remove(program.PinPath);
                program.Fd.Dispose();
            }
            foreach (var map in maps)
            {
                Pinning.Remove(map.PinPath);
                if (map.CreatedPinByName)
                    Pinning.Remove(map.PinnedByName);
                map.Fd.Dispose();
            }
            if (options.PinDirectory is { } directory)
                Pinning.RemoveFolders(directory, ownsPinDirectory);
            throw;
        }
        finally
        {
            // The programs hold the BTF now; this fd was only for loading them.
            programBtf?.Dispose();
        }
    }

    /// <summary>
    /// The map as the spec says: the map given to reuse, the compatible map pinned under its name (LIBBPF_PIN_BY_NAME), or
    /// a new one (pinned under its name when asked).
    /// </summary>
    private LoadedMap CreateOrReuse(MapSpec map, BpfLoadOptions options, BtfFd? btf)
    {
        var kernelName = KernelObjectNames.ForKernel(map.Name);
        if (map.OpenReused() is { } reused)
            return new LoadedMap(map.Name, kernelName, reused, map.Definition, null) { Reused = true };
        if (!map.PinByName)
            return new LoadedMap(map.Name, kernelName, MapCreator.Create(Object.Name, map, Object.Btf, btf), map.Definition, null);

        var path = Path.Combine(options.PinRoot, Pinning.FileName(map.Name));
        if (File.Exists(path))
        {
            var pinned = map.OpenPinned(path);
            try
            {
                map.CheckCompatible(pinned, $"the map pinned at '{path}' (LIBBPF_PIN_BY_NAME)");
            }
            catch
            {
                pinned.Dispose();
                throw;
            }
            return new LoadedMap(map.Name, kernelName, pinned, map.Definition, null) { Reused = true, PinnedByName = path };
        }
        EnsureBpfFs(options.PinRoot);
        var created = new LoadedMap(map.Name, kernelName, MapCreator.Create(Object.Name, map, Object.Btf, btf), map.Definition, null);
        try
        {
            Directory.CreateDirectory(options.PinRoot);
            Bpf.ObjPin(created.Fd, path);
        }
        catch (Exception e) when (e is BpfException or IOException or UnauthorizedAccessException)
        {
            created.Fd.Dispose();
            throw new BpfLoadException(Object.Name, map.Name, null, $"pinning it by name at '{path}' (LIBBPF_PIN_BY_NAME) failed" +
                (e is BpfException ? "" : $": {e.Message}"), e);
        }
        created.PinnedByName = path;
        created.CreatedPinByName = true;
        return created;
    }

    /// <summary>Before anything is created: the pin folder must be on a BPF filesystem (under /sys/fs/bpf one is mounted).</summary>
    private string? EnsureBpfFs(string directory)
    {
        try
        {
            return BpfFs.EnsureFor(directory);
        }
        catch (BpfOperationException e)
        {
            throw new BpfLoadException(Object.Name, null, null, $"cannot pin in '{directory}': {e.Message}", e);
        }
    }

    private LoadedProgram LoadProgram(BpfProgram program, List<LoadedMap> maps, BpfLoadOptions options, ProgramBtf programBtf, ResolvedExterns externs)
    {
        var section = SectionOf(program);
        // Only programs that attach by BTF id read the kernel's BTF: every other load skips it.
        var attachBtfId = section.NeedsAttachBtfId ? AttachBtfTargets.Find(Object.Name, program, section) : 0;

        var linked = ProgramLinker.Link(Object, program, name => Find(maps, name, null, program).Fd.Fd, externs);
        var kernelName = KernelObjectNames.ForKernel(program.Name);
        try
        {
            var fd = Bpf.ProgLoad(section.ProgramType, linked.Encode(), ObjectLicense.ForKernel(Object.License), section.ExpectedAttachType, section.Flags, kernelName, options.LogLevel,
                attachBtfId: attachBtfId, btf: programBtf.For(program, linked));
            return new LoadedProgram(program, kernelName, section, fd, linked.SlotCount);
        }
        catch (BpfException e)
        {
            throw new BpfLoadException(Object.Name, null, program.Name,
                $"BPF_PROG_LOAD of {section.ProgramTypeName}{(section.ExpectedAttachTypeName is { } attach ? $" ({attach})" : "")} " +
                $"from section '{program.SectionName}' with {linked.SlotCount} instructions failed{(e is BpfVerifierException refusal && programBtf.Explain(linked, refusal) is { } coRe ? ": " + coRe : "")}{AttachBtfTargets.RefusalNote(section, e)}{KernelSymbols.RefusalNote(Object, linked, e)}{ObjectLicense.Note(Object.License, (e as BpfVerifierException)?.VerifierLog)}", e);
        }
    }

    private LoadedMap Find(List<LoadedMap> maps, string name, BpfMapDefinition? referrer, BpfProgram? program = null)
    {
        foreach (var map in maps)
            if (map.Name == name)
                return map;
        throw new BpfLoadException(Object.Name, referrer?.Name, program?.Name,
            $"it refers to map '{name}', which the object does not define (an empty global data section has no map); " +
            $"its maps are: {string.Join(", ", maps.Select(m => m.Name))}");
    }

    private LoadedProgram FindProgram(List<LoadedProgram> programs, string name, BpfMapDefinition referrer)
    {
        foreach (var program in programs)
            if (program.Name == name)
                return program;
        throw new BpfLoadException(Object.Name, referrer.Name, null,
            $"its initial values name program '{name}', which is not an entry program of the object; its programs are: {string.Join(", ", programs.Select(p => p.Name))}");
    }

    private void PinAll(string directory, List<LoadedMap> maps, List<LoadedProgram> programs)
    {
        foreach (var map in maps)
            map.PinPath = Pinning.Pin(Object.Name, map.Fd, directory, Pinning.MapsFolder, Pinning.FileName(map.Definition is not null ? map.Name : map.KernelName), map.Name, null);
        foreach (var program in programs)
            program.PinPath = Pinning.Pin(Object.Name, program.Fd, directory, Pinning.ProgramsFolder, Pinning.FileName(program.Name), null, program.Name);
    }
}
