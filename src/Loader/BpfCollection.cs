namespace CpuMap.Managed.Loader;

/// <summary>
/// The maps and programs of one loaded object, by name. Disposing closes every fd; what is
/// pinned lives on in the BPF filesystem until <see cref="Unpin"/> removes it.
/// </summary>
public sealed class BpfCollection : IDisposable
{
    private readonly bool _ownsPinDirectory;

    internal BpfCollection(string objectName, IReadOnlyList<LoadedMap> maps, IReadOnlyList<LoadedProgram> programs, string? pinDirectory, bool ownsPinDirectory)
    {
        _ownsPinDirectory = ownsPinDirectory;
        ObjectName = objectName;
        Maps = maps;
        Programs = programs;
        PinDirectory = pinDirectory;
    }

    /// <summary>The object's file name.</summary>
    public string ObjectName { get; }

    /// <summary>Declared maps in the object's order, then the global data maps.</summary>
    public IReadOnlyList<LoadedMap> Maps { get; }

    /// <summary>The entry programs in the object's order.</summary>
    public IReadOnlyList<LoadedProgram> Programs { get; }

    /// <summary>The folder everything is pinned in, or null.</summary>
    public string? PinDirectory { get; private set; }

    /// <summary>Where the load mounted a BPF filesystem for the pins because none was there (see <see cref="Syscalls.BpfFs.EnsureFor"/>), or null.</summary>
    public string? MountedBpfFs { get; internal init; }

    /// <summary>What the load did differently from what the object asked, once each: e.g. programs
    /// loaded without the object's BTF, which the kernel refused (libbpf prints the same as a warning).</summary>
    public IReadOnlyList<string> Warnings { get; internal init; } = [];

    /// <summary>The map called <paramref name="name"/> in the object (".rodata" for global data) or in the kernel.</summary>
    public LoadedMap GetMap(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (var map in Maps)
            if (map.Name == name || map.KernelName == name)
                return map;
        throw new KeyNotFoundException($"{ObjectName} has no map '{name}'; its maps are: {string.Join(", ", Maps.Select(m => m.Name))}.");
    }

    /// <summary>The program called <paramref name="name"/> (its function name).</summary>
    public LoadedProgram GetProgram(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (var program in Programs)
            if (program.Name == name)
                return program;
        throw new KeyNotFoundException($"{ObjectName} has no program '{name}'; its programs are: {string.Join(", ", Programs.Select(p => p.Name))}.");
    }

    /// <summary>Removes every pin this collection made, and the folders the load created for them when empty.</summary>
    public void Unpin()
    {
        foreach (var program in Programs)
            program.PinPath = Pinning.Remove(program.PinPath);
        foreach (var map in Maps)
            map.PinPath = Pinning.Remove(map.PinPath);
        if (PinDirectory is { } directory)
            Pinning.RemoveFolders(directory, _ownsPinDirectory);
        PinDirectory = null;
    }

    /// <summary>Closes every program and map fd (programs first: they hold the maps too).</summary>
    public void Dispose()
    {
        foreach (var program in Programs)
            program.Fd.Dispose();
        foreach (var map in Maps)
            map.Fd.Dispose();
    }
}
