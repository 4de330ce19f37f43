namespace CpuMap.Managed.Syscalls.Xdp;

/// <summary>
/// Attaching, replacing or detaching an XDP program failed. Names the device and mode; the
/// kernel's answer (a <see cref="BpfException"/> or <see cref="Netlink.NetlinkException"/>,
/// with errno and extended ack) is the inner exception, and its text is part of the message.
/// </summary>
public sealed class XdpAttachException : Exception
{
    public XdpAttachException(string message, int ifindex, string? deviceName, XdpMode mode, Errno errno, Exception? inner)
        : base(message, inner)
    {
        Ifindex = ifindex;
        DeviceName = deviceName;
        Mode = mode;
        Errno = errno;
        HResult = errno.Value;
    }

    public int Ifindex { get; }

    /// <summary>The device's name, when it exists.</summary>
    public string? DeviceName { get; }

    public XdpMode Mode { get; }

    /// <summary>What the kernel answered.</summary>
    public Errno Errno { get; }
}
