using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Netlink;

namespace CpuMap.Managed.Programs.Remote;

/// <summary>
/// What each remote CPU does with the frames redirected to it (the program in every CPUMAP entry): one of
/// <see cref="Pass"/> or <see cref="Drop"/> (count, then XDP_PASS or XDP_DROP), <see cref="Redirect"/> (count, then out of
/// another device), or <see cref="UserProgram"/> (a SEC("xdp/cpumap") program from the user's object). A closed set: these
/// four are all there are.
/// </summary>
public abstract record RemoteAction
{
    private RemoteAction() { }

    /// <summary>Count each frame, then hand it to the network stack (XDP_PASS).</summary>
    public static Count Pass { get; } = new(XdpAction.Pass);

    /// <summary>Count each frame, then free it (XDP_DROP): the cost of the redirect alone.</summary>
    public static Count Drop { get; } = new(XdpAction.Drop);

    /// <summary>This project's counting program (<see cref="RemoteCpuCounter"/>), then <see cref="Then"/>.</summary>
    public sealed record Count : RemoteAction
    {
        /// <param name="then">XDP_PASS or XDP_DROP.</param>
        public Count(XdpAction then)
        {
            if (then is not (XdpAction.Pass or XdpAction.Drop))
                throw new ArgumentOutOfRangeException(nameof(then), then, "A counting remote program passes (XdpAction.Pass) or drops (XdpAction.Drop) each frame.");
            Then = then;
        }

        /// <summary>What the program returns after counting: XDP_PASS or XDP_DROP.</summary>
        public XdpAction Then { get; }

        /// <summary>"pass" or "drop".</summary>
        public override string ToString() => Then == XdpAction.Pass ? "pass" : "drop";
    }

    /// <summary>Count each frame, then send it out of <see cref="Device"/> through a DEVMAP (<see cref="RemoteDeviceRedirect"/>).</summary>
    public sealed record Redirect : RemoteAction
    {
        /// <param name="device">The device frames leave by: up, and able to take XDP frames (veth, drivers with native XDP).</param>
        /// <param name="egress">The program the DEVMAP entry runs on each frame as it leaves, or null for none.</param>
        public Redirect(string device, EgressAction? egress = null)
        {
            ArgumentNullException.ThrowIfNull(device);
            if (!NetDevice.IsValidName(device, out var reason))
                throw new ArgumentException(reason, nameof(device));
            Device = device;
            Egress = egress;
        }

        /// <summary>The device frames leave by.</summary>
        public string Device { get; }

        /// <summary>The DEVMAP entry's egress program, or null for none.</summary>
        public EgressAction? Egress { get; }

        /// <summary>"redirect".</summary>
        public override string ToString() => "redirect";
    }

    /// <summary>
    /// The user's own remote program (<see cref="RemoteObjectProgram"/>): in SEC("xdp/cpumap"), so loaded with expected
    /// attach type BPF_XDP_CPUMAP and without frags. It counts nothing of this project's.
    /// </summary>
    public sealed record UserProgram(ObjectProgram Program) : RemoteAction
    {
        /// <summary>The object file and the program's name.</summary>
        public ObjectProgram Program { get; } = Program ?? throw new ArgumentNullException(nameof(Program));

        /// <summary><c>PATH:NAME</c>.</summary>
        public override string ToString() => Program.ToString();
    }
}
