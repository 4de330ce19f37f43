using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Programs.Bytecode;
using CpuMap.Managed.Programs.Redirect;

namespace CpuMap.Managed.Programs;

/// <summary>
/// A software-RSS redirect pinned on a BPF filesystem so it outlives the process that attached it:
/// DIR/link (the XDP link: while it is pinned the program stays attached), and the maps DIR/cpu_map,
/// DIR/redirect_stats, DIR/remote_packets (when the remote program counts) and DIR/tx_port (the DEVMAP of the remote
/// action redirect). <see cref="Detach"/>
/// detaches the link and removes the pins.
/// </summary>
public sealed class SoftwareRssPins
{
    /// <summary>Where `cpumap` looks for pinned redirects when no directory is named: the BPF filesystem.</summary>
    public const string BpfFsRoot = BpfFs.DefaultRoot;

    /// <summary>The file names under the pin directory.</summary>
    public const string LinkFile = "link", CpuMapFile = RoundRobinProgram.CpuMapMap, StatsFile = RedirectStats.MapName,
        RemotePacketsFile = RemoteCpuCountProgram.RemotePacketsMap, TxPortFile = RemoteRedirectProgram.TxPortMap;

    private static readonly string[] Files = [LinkFile, CpuMapFile, StatsFile, RemotePacketsFile, TxPortFile];

    private SoftwareRssPins(string directory) => Directory = directory;

    /// <summary>The pin directory.</summary>
    public string Directory { get; }

    /// <summary>Where pinning mounted a BPF filesystem because none was there (see <see cref="BpfFs.EnsureFor"/>), or null.</summary>
    public string? MountedBpfFs { get; private init; }

    /// <summary>
    /// Pins <paramref name="link"/> and the maps under <paramref name="directory"/>, which must hold no pins of ours yet and be on a
    /// BPF filesystem (under /sys/fs/bpf one is mounted when none is).
    /// </summary>
    internal static SoftwareRssPins Create(string directory, LinkFd link, CpuRedirect redirect, MapFd? remotePackets, MapFd? txPort = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var full = Path.GetFullPath(directory);
        var mounted = BpfFs.EnsureFor(full);
        if (Files.Any(f => File.Exists(Path.Combine(full, f))))
            throw new BpfOperationException("pin software RSS",
                $"{full} already holds a pinned redirect: detach it first ('cpumap detach', or SoftwareRssPins.Open(dir).Detach()) or choose another directory.");
        System.IO.Directory.CreateDirectory(full);
        var pins = new SoftwareRssPins(full) { MountedBpfFs = mounted };
        try
        {
            Bpf.ObjPin(redirect.CpuMap.Fd, pins.PathOf(CpuMapFile));
            Bpf.ObjPin(redirect.Stats!, pins.PathOf(StatsFile));
            if (remotePackets is not null)
                Bpf.ObjPin(remotePackets, pins.PathOf(RemotePacketsFile));
            if (txPort is not null)
                Bpf.ObjPin(txPort, pins.PathOf(TxPortFile));
            // The link last: once it is pinned the redirect is attached for good, with its maps readable.
            Bpf.ObjPin(link, pins.PathOf(LinkFile));
            return pins;
        }
        catch
        {
            pins.RemoveFiles();
            throw;
        }
    }

    /// <summary>Opens the pins under <paramref name="directory"/>.</summary>
    public static SoftwareRssPins Open(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var full = Path.GetFullPath(directory);
        if (!File.Exists(Path.Combine(full, LinkFile)))
            throw new BpfOperationException("open pinned software RSS", $"{full} holds no pinned redirect (no '{LinkFile}' file): pass the directory given to SoftwareRss.Pin.");
        return new SoftwareRssPins(full);
    }

    /// <summary>
    /// Finds the pinned redirect whose link holds XDP program <paramref name="progId"/> on
    /// <paramref name="ifindex"/>, searching the BPF filesystem a few levels deep; null when none does.
    /// </summary>
    public static SoftwareRssPins? Find(int ifindex, uint progId, string root = BpfFsRoot)
    {
        if (!System.IO.Directory.Exists(root))
            return null;
        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 4, IgnoreInaccessible = true };
        foreach (var path in System.IO.Directory.EnumerateFiles(root, LinkFile, options))
        {
            try
            {
                using var link = Bpf.ObjGetLink(path);
                var info = Bpf.ObjGetInfoByFd(link);
                if (info.Type == BpfLinkType.Xdp && info.XdpIfindex == (uint)ifindex && info.ProgId == progId)
                    return new SoftwareRssPins(Path.GetDirectoryName(path)!);
            }
            catch (Exception e) when (e is BpfOperationException or IOException)
            {
                // A pin of something else named 'link': not ours.
            }
        }
        return null;
    }

    /// <summary>The pinned XDP link.</summary>
    public LinkFd OpenLink() => Bpf.ObjGetLink(PathOf(LinkFile));

    /// <summary>The pinned redirect_stats map.</summary>
    public MapFd OpenStats() => Bpf.ObjGetMap(PathOf(StatsFile));

    /// <summary>The pinned tx_port DEVMAP of the remote action redirect, or null for another remote action.</summary>
    public MapFd? OpenTxPort() => File.Exists(PathOf(TxPortFile)) ? Bpf.ObjGetMap(PathOf(TxPortFile)) : null;

    /// <summary>The pinned remote_packets map, or null when the remote program counts nothing.</summary>
    public MapFd? OpenRemotePackets() => File.Exists(PathOf(RemotePacketsFile)) ? Bpf.ObjGetMap(PathOf(RemotePacketsFile)) : null;

    /// <summary>
    /// Detaches the XDP link (BPF_LINK_DETACH: the program leaves the device at once, whoever holds
    /// the link) and removes the pins and the directory, so the kernel frees the program and maps.
    /// </summary>
    public void Detach()
    {
        if (File.Exists(PathOf(LinkFile)))
        {
            using var link = OpenLink();
            Bpf.LinkDetach(link);
        }
        RemoveFiles();
    }

    private void RemoveFiles()
    {
        foreach (var file in Files)
            File.Delete(PathOf(file));
        if (System.IO.Directory.Exists(Directory) && !System.IO.Directory.EnumerateFileSystemEntries(Directory).Any())
            System.IO.Directory.Delete(Directory);
    }

    private string PathOf(string file) => Path.Combine(Directory, file);

    /// <inheritdoc/>
    public override string ToString() => $"redirect pinned under {Directory}";
}
