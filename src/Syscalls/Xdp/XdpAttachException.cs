namespace CpuMap.Managed.Syscalls.Xdp;

/// <summary>
/// Attaching, replacing or detaching an XDP program failed. Names the device and mode; the
/// kernel's answer (a <see cref="BpfException"/> or <see cref="Netlink.NetlinkException"/>,
/// with errno and extended ack) is the inner exception, its command the <see cref="BpfOperationException.Operation"/>,
/// and its text part of the message.
/// </summary>
public sealed class XdpAttachException : BpfOperationException
{
    /// <summary>A failure on the device <paramref name="ifindex"/> in <paramref name="mode"/>; <paramref name="inner"/> is the kernel's refusal, when there is one.</summary>
    public XdpAttachException(string message, int ifindex, string? deviceName, XdpMode mode, Errno errno, Exception? inner)
        : base((inner as BpfOperationException)?.Operation ?? "attach XDP", message, errno, inner)
    {
        Ifindex = ifindex;
        DeviceName = deviceName;
        Mode = mode;
    }

    /// <summary>What the kernel answered: a refusal of this kind always has one, so this is not nullable here.</summary>
    public new Errno Errno => base.Errno!.Value;

    /// <summary>The device's interface index.</summary>
    public int Ifindex { get; }

    /// <summary>The device's name, when it exists.</summary>
    public string? DeviceName { get; }

    /// <summary>The mode asked for.</summary>
    public XdpMode Mode { get; }
}
