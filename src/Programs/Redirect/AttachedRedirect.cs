using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Syscalls.Netlink;
using CpuMap.Managed.Syscalls.Xdp;
using CpuMap.Managed.Programs.Bytecode;
using CpuMap.Managed.Programs.Tracing;

namespace CpuMap.Managed.Programs.Redirect;

/// <summary>One CPUMAP entry of an attached redirect, with the name of its remote program.</summary>
public sealed record AttachedCpuEntry(int Cpu, uint Qsize, uint RemoteProgId, string? RemoteProgName);

/// <summary>
/// What XDP program a device has, found the way bpftool finds it (netlink for the program id, then
/// the kernel's ids of the program's maps), whoever attached it and whether or not it is pinned.
/// When the program uses a CPUMAP (this project's named cpu_map, or the only one of a user's own program), its entries
/// are readable, and the kernel's counts of what it enqueued; when it is a software-RSS redirect of this project (a
/// redirect_stats map too), its counters as well.
/// </summary>
public sealed class AttachedRedirect : IDisposable
{
    private CpuMapEnqueueCounter? _enqueue;
    private MapFd? _indir, _bucketPackets;

    private AttachedRedirect(NetDeviceInfo device, string? progName, MapFd? cpuMap, MapFd? stats, MapFd? remotePackets, IReadOnlyList<AttachedCpuEntry> entries)
    {
        Device = device;
        ProgName = progName;
        CpuMapFd = cpuMap;
        Stats = stats;
        RemotePackets = remotePackets;
        Entries = entries;
    }

    /// <summary>The device, with what netlink says is attached (mode and program id).</summary>
    public NetDeviceInfo Device { get; }

    /// <summary>The attached program's kernel name, or null when none is attached.</summary>
    public string? ProgName { get; }

    /// <summary>Whether the attached program is a software-RSS redirect of this project.</summary>
    public bool IsSoftwareRss => CpuMapFd is not null && Stats is not null;

    /// <summary>Whether the attached program redirects into a CPUMAP (this project's or a user's own).</summary>
    public bool HasCpuMap => CpuMapFd is not null;

    /// <summary>The program's CPUMAP, when <see cref="HasCpuMap"/>.</summary>
    public MapFd? CpuMapFd { get; }

    /// <summary>The redirect's redirect_stats map, when <see cref="IsSoftwareRss"/>.</summary>
    public MapFd? Stats { get; }

    /// <summary>The remote counting program's remote_packets map, when the entries run one.</summary>
    public MapFd? RemotePackets { get; }

    /// <summary>The flow-hash redirect's indirection table (buckets, their CPUs and frames), or null when the program has none.</summary>
    public RssIndirectionTable? IndirectionTable { get; private init; }

    /// <summary>The CPUMAP entries (empty unless <see cref="HasCpuMap"/>).</summary>
    public IReadOnlyList<AttachedCpuEntry> Entries { get; }

    /// <summary>Looks at <paramref name="device"/> (in <paramref name="netns"/>, or this thread's namespace).</summary>
    /// <exception cref="ArgumentException">No device has that name.</exception>
    public static AttachedRedirect Open(string device, NetworkNamespace? netns = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(device);
        using var rtnl = netns?.OpenRtNetlink() ?? RtNetlink.Open();
        var info = rtnl.TryGetLink(device) ?? throw new BpfOperationException("find network device",
            $"No network device is named '{device}'{(netns is null ? "" : $" in {netns}")}: check the name with 'ip link' (or 'cpumap status').");
        return Open(info);
    }

    /// <summary>Every device of the namespace that has an XDP program attached.</summary>
    public static IReadOnlyList<AttachedRedirect> OpenAll(NetworkNamespace? netns = null)
    {
        using var rtnl = netns?.OpenRtNetlink() ?? RtNetlink.Open();
        return rtnl.GetLinks().Where(l => l.Xdp.IsAttached).Select(Open).ToArray();
    }

    /// <summary>
    /// Reads the counters (see <see cref="RedirectSnapshot"/>) of a program with a CPUMAP: for a user's own program only what
    /// the kernel counts (<see cref="CountEnqueues"/>) and a counting remote program deliver.
    /// </summary>
    public RedirectSnapshot ReadCounters()
    {
        if (!HasCpuMap)
            throw new BpfOperationException("read CPUMAP redirect counters",
                $"{Device.Name} has {(Device.Xdp.IsAttached ? $"XDP program '{ProgName}' (id {Device.Xdp.ProgId}), which redirects into no CPUMAP" : "no XDP program")}: " +
                $"attach one with SoftwareRss.Attach(\"{Device.Name}\").");
        return RedirectSnapshot.Read(Stats, RemotePackets, _enqueue);
    }

    /// <summary>
    /// Starts counting, until disposed, the frames the kernel enqueues into this redirect's CPUMAP and
    /// drops at full queues (tracepoint xdp:xdp_cpumap_enqueue); <see cref="ReadCounters"/> then includes them.
    /// </summary>
    public void CountEnqueues()
    {
        ObjectDisposedException.ThrowIf(CpuMapFd is { IsClosed: true }, this);
        if (!HasCpuMap || _enqueue is not null)
            return;
        using var cpuMap = BpfCpuMap.Open(CpuMapFd!);
        var counter = CpuMapEnqueueCounter.Load(cpuMap);
        try
        {
            _enqueue = counter.Attach();
        }
        catch
        {
            counter.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts the extended statistics of this redirect (see <see cref="ExtendedStats"/>): its CPUMAP's enqueue pairs and
    /// kernel threads, and the attached program's redirect errors and exceptions. The caller disposes them.
    /// </summary>
    public ExtendedStats CountExtended()
    {
        ObjectDisposedException.ThrowIf(CpuMapFd is { IsClosed: true }, this);
        if (!HasCpuMap)
            throw new BpfOperationException("count CPUMAP redirect extended statistics",
                $"{Device.Name} has {(Device.Xdp.IsAttached ? $"XDP program '{ProgName}' (id {Device.Xdp.ProgId}), which redirects into no CPUMAP" : "no XDP program")}, " +
                $"so there are no CPUMAP statistics to extend: attach a redirect first with SoftwareRss.Attach(\"{Device.Name}\").");
        using var cpuMap = BpfCpuMap.Open(CpuMapFd!);
        return ExtendedStats.Attach(cpuMap, Device.Xdp.ProgId);
    }

    /// <summary>Closes the map fds this view opened.</summary>
    public void Dispose()
    {
        _enqueue?.Dispose();
        CpuMapFd?.Dispose();
        Stats?.Dispose();
        RemotePackets?.Dispose();
        _indir?.Dispose();
        _bucketPackets?.Dispose();
    }

    private static AttachedRedirect Open(NetDeviceInfo device)
    {
        var progId = device.Xdp.ProgId;
        if (progId == 0)
            return new AttachedRedirect(device, null, null, null, null, []);
        using var prog = Bpf.ProgGetFdById(progId);
        var (progName, maps) = ProgramMaps(prog);
        // This project's CPUMAP is named cpu_map; a user's program may name its only one otherwise.
        var cpuMap = Take(maps, RoundRobinProgram.CpuMapMap, BpfMapType.Cpumap)
            ?? (maps.Count(m => m.Type == BpfMapType.Cpumap) == 1 ? Take(maps, maps.First(m => m.Type == BpfMapType.Cpumap).Name, BpfMapType.Cpumap) : null);
        var stats = cpuMap is null ? null : Take(maps, RedirectStats.MapName, BpfMapType.PercpuArray);
        var indir = cpuMap is null ? null : Take(maps, FlowHashProgram.IndirectionTableMap, BpfMapType.Array);
        var bucketPackets = cpuMap is null ? null : Take(maps, FlowHashProgram.BucketPacketsMap, BpfMapType.PercpuArray);
        if (indir is null || bucketPackets is null || !RssIndirectionTable.AreTableMaps(indir, bucketPackets))
        {
            // Half a table, or maps of those names that are something else: closed with the rest.
            maps.AddRange(new[] { indir, bucketPackets }.OfType<MapFd>());
            (indir, bucketPackets) = (null, null);
        }
        foreach (var map in maps)
            map.Dispose();
        if (cpuMap is null)
            return new AttachedRedirect(device, progName, null, null, null, []);
        var entries = new List<AttachedCpuEntry>();
        MapFd? remotePackets = null;
        using (var view = BpfCpuMap.Open(cpuMap))
        {
            foreach (var entry in view.Entries())
            {
                string? remoteName = null;
                if (entry.ProgId != 0)
                {
                    using var remote = Bpf.ProgGetFdById(entry.ProgId);
                    var (name, remoteMaps) = ProgramMaps(remote);
                    remoteName = name;
                    remotePackets ??= Take(remoteMaps, RemoteCpuCountProgram.RemotePacketsMap, BpfMapType.PercpuArray);
                    foreach (var map in remoteMaps)
                        map.Dispose();
                }
                entries.Add(new AttachedCpuEntry(entry.Cpu, entry.Qsize, entry.ProgId, remoteName));
            }
        }
        return new AttachedRedirect(device, progName, cpuMap, stats, remotePackets, entries)
        {
            _indir = indir, _bucketPackets = bucketPackets,
            IndirectionTable = indir is null || bucketPackets is null ? null : new RssIndirectionTable(indir, bucketPackets, BpfCpuMap.Open(cpuMap)),
        };
    }

    private static (string Name, List<MapFd> Maps) ProgramMaps(ProgFd prog)
    {
        Span<uint> ids = stackalloc uint[64];
        var info = Bpf.ObjGetInfoByFd(prog, ids);
        var maps = new List<MapFd>();
        for (var i = 0; i < Math.Min((int)info.NrMapIds, ids.Length); i++)
            maps.Add(Bpf.MapGetFdById(ids[i]));
        return (info.Name.ToString(), maps);
    }

    /// <summary>Removes from <paramref name="maps"/> and returns the one named <paramref name="name"/> of <paramref name="type"/>.</summary>
    private static MapFd? Take(List<MapFd> maps, string name, BpfMapType type)
    {
        var index = maps.FindIndex(m => m.Name == name && m.Type == type);
        if (index < 0)
            return null;
        var map = maps[index];
        maps.RemoveAt(index);
        return map;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Device.Name}: {Device.Xdp}{(ProgName is null ? "" : $" ({ProgName})")}";
}
