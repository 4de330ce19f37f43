using CpuMap.Managed.Loader;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Syscalls.Netlink;
using CpuMap.Managed.Syscalls.Xdp;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Programs.Bytecode;

namespace CpuMap.Managed.Programs;

/// <summary>
/// Where the demo's remote action <c>redirect</c> sends frames: a second veth pair in the demo's namespace, both ends up,
/// with a program on the far end that counts each frame arriving and drops it. The demo then shows that what the remote
/// CPUs sent on really left by the device. Disposing detaches and closes; the pair goes with the namespace.
/// </summary>
internal sealed class DemoRedirectTarget : IDisposable
{
    private readonly MapFd _arrived;
    private readonly ProgFd _counter;
    private readonly XdpAttachment _attachment;

    private DemoRedirectTarget(MapFd arrived, ProgFd counter, XdpAttachment attachment)
    {
        _arrived = arrived;
        _counter = counter;
        _attachment = attachment;
    }

    /// <summary>Makes the pair in <paramref name="netns"/> and counts frames at <paramref name="peer"/>.</summary>
    public static DemoRedirectTarget Create(NetworkNamespace netns, string device, string peer)
    {
        // An up device with IPv6 sends neighbour and router solicitations of its own: they would be counted as arrivals.
        netns.Run(() =>
        {
            File.WriteAllText("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
            File.WriteAllText("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
        });
        using (var rtnl = netns.OpenRtNetlink())
        {
            rtnl.NewVeth(device, peer);
            rtnl.SetLinkUp(rtnl.GetLink(device).Index);
            rtnl.SetLinkUp(rtnl.GetLink(peer).Index);
        }
        MapFd? arrived = null;
        ProgFd? counter = null;
        try
        {
            arrived = Bpf.MapCreate(BpfMapType.PercpuArray, sizeof(uint), sizeof(ulong), 1, name: "demo_arrived");
            // A veth delivers redirected frames to its peer only when the peer runs XDP (or GRO): this program is that.
            counter = DslProgramLoader.Load(RemoteCpuCountProgram.Build(XdpAction.Drop, "demo_count", "demo_arrived"), "demo_count", [arrived]);
            var attachment = XdpAttachment.Attach(peer, counter, XdpMode.Native, XdpAttachMethod.Auto, netns);
            return new DemoRedirectTarget(arrived, counter, attachment);
        }
        catch
        {
            counter?.Dispose();
            arrived?.Dispose();
            throw;
        }
    }

    /// <summary>Frames that arrived at the peer so far.</summary>
    public ulong ReadArrived() => PerCpuArray<ulong>.Open(_arrived).Get(0).Sum();

    public void Dispose()
    {
        _attachment.Dispose();
        _counter.Dispose();
        _arrived.Dispose();
    }
}
