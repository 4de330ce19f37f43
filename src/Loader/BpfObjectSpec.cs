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
    }

    /// <summary>The parsed object.</summary>
    public BpfObject Object { get; }

    /// <summary>libbpf's name for the object: the file name up to its first '.'; it prefixes global data map names.</summary>
    public string ObjectName { get; }

    /// <summary>The global variables, settable until <see cref="Load"/>.</summary>
    public GlobalVariables Variables { get; }

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

    /// <summary>How <paramref name="program"/>'s section is loaded; an unknown section throws, naming it.</summary>
    public ProgramSection SectionOf(BpfProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return ProgramSections.Find(program.SectionName) ?? throw new BpfLoadException(Object.Name, null, program.Name,
            $"section '{program.SectionName}' is not a program section this loader knows, so it cannot tell the program type; " +
            $"use a libbpf section name: {string.Join(", ", ProgramSections.Known)}");
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
            // Before any map: an object whose CO-RE relocations this kernel cannot apply fails with nothing made.
            programBtf = ProgramBtf.Load(Object);
            foreach (var definition in Object.Maps)
                maps.Add(new LoadedMap(definition.Name, KernelObjectNames.ForKernel(definition.Name), MapCreator.Create(Object.Name, definition), definition, null));
            foreach (var section in Object.GlobalData)
            {
                if (section.Size == 0)
                    continue;
                var kernelName = KernelObjectNames.GlobalDataMap(ObjectName, section.Name);
                maps.Add(new LoadedMap(section.Name, kernelName, MapCreator.CreateGlobalData(Object.Name, kernelName, section, Variables.ValueOf(section)), null, section));
            }
            foreach (var map in maps)
                if (map.Definition is { InitialValues.Count: > 0, Type: (uint)BpfMapType.ArrayOfMaps or (uint)BpfMapType.HashOfMaps } definition)
                    InitialValues.Fill(Object.Name, map, definition, name => Find(maps, name, definition).Fd);

            var subprograms = new Dictionary<string, BpfProgram>(StringComparer.Ordinal);
            foreach (var subprogram in Object.Subprograms)
                subprograms.TryAdd(subprogram.Name, subprogram);
            foreach (var program in Object.Programs)
                programs.Add(LoadProgram(program, subprograms, maps, options, programBtf));

            foreach (var map in maps)
                if (map.Definition is { InitialValues.Count: > 0, Type: (uint)BpfMapType.ProgArray } definition)
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

    /// <summary>Before anything is created: the pin folder must be on a BPF filesystem (under /sys/fs/bpf one is mounted).</summary>
    private string? EnsureBpfFs(string directory)
    {
        try
        {
            return BpfFs.EnsureFor(directory);
        }
        catch (IOException e)
        {
            throw new BpfLoadException(Object.Name, null, null, $"cannot pin in '{directory}': {e.Message}", e);
        }
    }

    private LoadedProgram LoadProgram(BpfProgram program, IReadOnlyDictionary<string, BpfProgram> subprograms, List<LoadedMap> maps, BpfLoadOptions options, ProgramBtf programBtf)
    {
        var section = SectionOf(program);
        // Only programs that attach by BTF id read the kernel's BTF: every other load skips it.
        var attachBtfId = section.NeedsAttachBtfId ? AttachBtfTargets.Find(Object.Name, program, section) : 0;

        var layout = new List<LinkedFunction>();
        var instructions = ProgramLinker.Link(Object, program, subprograms, name => Find(maps, name, null, program).Fd.Fd, layout);
        var kernelName = KernelObjectNames.ForKernel(program.Name);
        try
        {
            var fd = Bpf.ProgLoad(section.ProgramType, instructions, ObjectLicense.ForKernel(Object.License), section.ExpectedAttachType, section.Flags, kernelName, options.LogLevel,
                attachBtfId: attachBtfId, btf: programBtf.For(program, layout));
            return new LoadedProgram(program, kernelName, section, fd, instructions.Length / Bpf.InstructionSize);
        }
        catch (BpfException e)
        {
            throw new BpfLoadException(Object.Name, null, program.Name,
                $"BPF_PROG_LOAD of {section.ProgramTypeName}{(section.ExpectedAttachTypeName is { } attach ? $" ({attach})" : "")} " +
                $"from section '{program.SectionName}' with {instructions.Length / Bpf.InstructionSize} instructions failed{(e is BpfVerifierException refusal && programBtf.Explain(layout, refusal) is { } coRe ? ": " + coRe : "")}{AttachBtfTargets.RefusalNote(section, e)}{ObjectLicense.Note(Object.License, (e as BpfVerifierException)?.VerifierLog)}", e);
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
            map.PinPath = Pinning.Pin(Object.Name, map.Fd, directory, Pinning.MapsFolder, Pinning.FileName(map.GlobalData is null ? map.Name : map.KernelName), map.Name, null);
        foreach (var program in programs)
            program.PinPath = Pinning.Pin(Object.Name, program.Fd, directory, Pinning.ProgramsFolder, Pinning.FileName(program.Name), null, program.Name);
    }
}
