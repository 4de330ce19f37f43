using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Syscalls.Netlink;
using CpuMap.Managed.Syscalls.Xdp;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;

namespace CpuMap.Managed.Programs;

/// <summary>
/// Software RSS, everything `cpumap attach` sets up, from code: a redirect program (round-robin or
/// flow-hash, with counters) whose CPUMAP has an entry for each chosen CPU, the remote program those
/// entries run (counting pass or drop, or one from the user's object), the XDP attachment to a device,
/// and optionally pins that keep it all after the process. Dispose detaches (unless pinned) and closes
/// in the reverse order of creation.
/// </summary>
/// <example>
/// <code>
/// using var rss = SoftwareRss.Load(new SoftwareRssOptions { Mode = RssMode.FlowHash, Cpus = [0, 1] });
/// rss.Attach("eth0", XdpMode.Native);
/// var before = rss.ReadCounters();
/// Thread.Sleep(1000);
/// var perSecond = rss.ReadCounters().Since(before);
/// </code>
/// </example>
public sealed class SoftwareRss : IDisposable
{
    private readonly RemoteCpuCounter? _counter;
    private readonly RemoteObjectProgram? _remoteObject;
    private readonly RemoteDeviceRedirect? _deviceRedirect;
    private bool _disposed;

    private SoftwareRss(SoftwareRssOptions options, CpuRedirect redirect, RemoteCpuCounter? counter, RemoteObjectProgram? remoteObject,
        RemoteDeviceRedirect? deviceRedirect)
    {
        Options = options;
        Redirect = redirect;
        _counter = counter;
        _remoteObject = remoteObject;
        _deviceRedirect = deviceRedirect;
    }

    /// <summary>What was asked for.</summary>
    public SoftwareRssOptions Options { get; }

    /// <summary>The redirect program and its maps.</summary>
    public CpuRedirect Redirect { get; }

    /// <summary>The remote program in every CPUMAP entry.</summary>
    public ProgFd RemoteProgram => _counter?.Program ?? _deviceRedirect?.Program ?? _remoteObject!.Program;

    /// <summary>remote_packets: frames delivered (or, with the redirect action, sent on) per CPU, or null when the remote program is the user's own.</summary>
    public MapFd? RemotePackets => _counter?.RemotePackets ?? _deviceRedirect?.RemotePackets;

    /// <summary>With the remote action <see cref="RemoteAction.Redirect"/>: the DEVMAP, its device and egress program; else null.</summary>
    public RemoteDeviceRedirect? DeviceRedirect => _deviceRedirect;

    /// <summary>The attachment made by <see cref="Attach"/>, or null.</summary>
    public XdpAttachment? Attachment { get; private set; }

    /// <summary>Where <see cref="Pin"/> pinned the link and maps, or null.</summary>
    public SoftwareRssPins? Pins { get; private set; }

    /// <summary>
    /// Checks the options, loads the remote program and the redirect program, and configures the
    /// CPUMAP entries. Needs root and Linux 5.9 (programs in CPUMAP entries).
    /// </summary>
    /// <param name="options">What to set up.</param>
    /// <param name="netns">Where the device of <see cref="RemoteAction.Redirect"/> is; null for this thread's namespace.</param>
    public static SoftwareRss Load(SoftwareRssOptions options, NetworkNamespace? netns = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        KernelFeatures.CpuMapPrograms.Require("The software-RSS redirect, which runs a program on each remote CPU,");
        RemoteCpuCounter? counter = null;
        RemoteObjectProgram? remoteObject = null;
        RemoteDeviceRedirect? deviceRedirect = null;
        CpuRedirect? redirect = null;
        try
        {
            switch (options.Remote)
            {
                case RemoteAction.Count count:
                    counter = RemoteCpuCounter.Load(count.Then);
                    break;
                case RemoteAction.Redirect redirectOut:
                    deviceRedirect = RemoteDeviceRedirect.Load(redirectOut.Device, redirectOut.Egress, netns);
                    break;
                case RemoteAction.UserProgram user:
                    remoteObject = RemoteObjectProgram.Load(user.Program.Path, user.Program.Name);
                    break;
            }
            redirect = options.Program is { } program
                ? ObjectRedirect.Load(program.Path, program.Name, options.ResolvedCpus, options.CpuMapName, options.CpusAvailableName)
                : RssModeRedirects.Load(options.Mode, options.Buckets);
            redirect.Configure(options.ResolvedCpus, options.Qsize, counter?.Program ?? deviceRedirect?.Program ?? remoteObject!.Program);
            return new SoftwareRss(options, redirect, counter, remoteObject, deviceRedirect);
        }
        catch
        {
            redirect?.Dispose();
            counter?.Dispose();
            remoteObject?.Dispose();
            deviceRedirect?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Attaches the redirect program to <paramref name="device"/> (in <paramref name="netns"/>, or this
    /// thread's namespace): through a BPF link when the kernel has them, so the program goes when the
    /// process ends unless <see cref="Pin"/> keeps it.
    /// </summary>
    public XdpAttachment Attach(string device, XdpMode mode = XdpMode.Auto, NetworkNamespace? netns = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Attachment is not null)
            throw new InvalidOperationException($"This redirect is already attached ({Attachment}); load another SoftwareRss for a second device.");
        Attachment = XdpAttachment.Attach(device, Redirect.Program, mode, XdpAttachMethod.Auto, netns);
        return Attachment;
    }

    /// <summary>
    /// Pins the XDP link and the maps under <paramref name="directory"/> (on a BPF filesystem), so the
    /// redirect stays attached after this process ends; <see cref="SoftwareRssPins.Detach"/> removes it.
    /// </summary>
    public SoftwareRssPins Pin(string directory)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Redirect is ObjectRedirect user)
            throw new BpfOperationException("pin software RSS",
                $"Pinning runs only for this project's redirect programs, whose counters `cpumap stats` reads: {user.Source} has none of them. " +
                "Keep this process running instead (its link holds the program on the device).");
        if (Attachment?.Link is not { } link)
            throw new BpfOperationException("pin software RSS",
                "Only a redirect attached through a BPF link can be pinned (Attach first; XDP links need Linux 5.9): a netlink attachment already stays without pins.");
        Pins = SoftwareRssPins.Create(directory, link, Redirect, RemotePackets, _deviceRedirect?.TxPort);
        return Pins;
    }

    /// <summary>
    /// Frames the remote counting program (pass or drop) delivered, indexed by CPU: what any redirect, a user's own
    /// included, sent to each CPU. Throws when the remote program is the user's own, which counts nothing of ours.
    /// </summary>
    public PerCpuValues<ulong> ReadDelivered()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _counter?.ReadCounts() ?? _deviceRedirect?.ReadCounts() ?? throw new BpfOperationException("read delivered frames",
            $"The remote program is the user's own {Options.Remote}, which counts nothing of this project's: use RemoteAction.Pass, Drop or Redirect to count deliveries.");
    }

    /// <summary>Reads the redirect's and the remote program's counters.</summary>
    public RedirectSnapshot ReadCounters()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Redirect.Stats is null)
            throw new InvalidOperationException(
                $"The redirect {Redirect} has no counters of this project's: read what the remote program delivered from {nameof(RemotePackets)}.");
        return RedirectSnapshot.Read(Redirect.Stats!, RemotePackets);
    }

    /// <summary>
    /// Detaches (a pinned link stays attached), then closes the redirect program and maps and the remote program.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        try
        {
            Attachment?.Dispose();
        }
        finally
        {
            Redirect.Dispose();
            _counter?.Dispose();
            _remoteObject?.Dispose();
            _deviceRedirect?.Dispose();
        }
    }
}
