namespace CpuMap.Managed.Syscalls.Xdp;

/// <summary>How a program is attached to a device.</summary>
public enum XdpAttachMethod
{
    /// <summary>A BPF link when the kernel has XDP links (Linux 5.9+), else netlink.</summary>
    Auto,
    /// <summary>BPF_LINK_CREATE: detaches when the last fd of the link closes, so a crashed process leaves nothing behind.</summary>
    Link,
    /// <summary>RTM_SETLINK with IFLA_XDP: stays attached after the process exits, until detached.</summary>
    Netlink,
}
