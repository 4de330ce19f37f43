using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Maps;

namespace CpuMap.Managed.Programs.Redirect;

/// <summary>
/// The maps every redirect program uses (cpu_map, cpus_available, nr_cpus) plus any a mode adds,
/// created together: if anything fails before the program is loaded, <see cref="Dispose"/> closes
/// all that was made.
/// </summary>
internal sealed class RedirectMaps : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    private RedirectMaps() { }

    public BpfCpuMap CpuMap { get; private set; } = null!;

    public MapFd CpusAvailable { get; private set; } = null!;

    public MapFd? NrCpus { get; private set; }

    /// <summary>Everything created, in creation order, for the owner to close.</summary>
    public IReadOnlyList<IDisposable> Owned => _owned;

    /// <summary>Every map made so far (only maps are added), for binding the program's map references by name.</summary>
    public IReadOnlyList<MapFd> Fds => [.. _owned.Select(o => o switch { BpfCpuMap c => c.Fd, MapFd m => m, _ => null }).OfType<MapFd>()];

    public static RedirectMaps Create(string cpuMapName, string cpusAvailableName, string nrCpusName)
    {
        var maps = new RedirectMaps();
        try
        {
            maps.CpuMap = maps.Add(BpfCpuMap.Create(name: cpuMapName));
            maps.CpusAvailable = maps.Add(Bpf.MapCreate(BpfMapType.Array, sizeof(uint), sizeof(uint), (uint)CpuList.Possible.Count, name: cpusAvailableName));
            // One entry: BPF_PSEUDO_MAP_VALUE reads an array's value directly only when it has exactly one.
            maps.NrCpus = maps.Add(Bpf.MapCreate(BpfMapType.Array, sizeof(uint), sizeof(uint), 1, name: nrCpusName));
            return maps;
        }
        catch
        {
            maps.Dispose();
            throw;
        }
    }

    /// <summary>The maps of a loaded object, which <paramref name="owner"/> (its collection) closes.</summary>
    public static RedirectMaps Of(BpfCpuMap cpuMap, MapFd cpusAvailable, MapFd? nrCpus, IDisposable owner)
    {
        var maps = new RedirectMaps { CpuMap = cpuMap, CpusAvailable = cpusAvailable, NrCpus = nrCpus };
        maps.Add(cpuMap);
        maps.Add(owner);
        return maps;
    }

    /// <summary>Takes ownership of a map a mode adds.</summary>
    public MapFd Add(MapFd map) => Add<MapFd>(map);

    private T Add<T>(T resource) where T : IDisposable
    {
        _owned.Add(resource);
        return resource;
    }

    public void Dispose()
    {
        foreach (var resource in _owned)
            resource.Dispose();
    }
}
