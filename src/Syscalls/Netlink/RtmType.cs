namespace CpuMap.Managed.Syscalls.Netlink;

/// <summary>The rtnetlink message types this library sends (kernel: RTM_* in linux/rtnetlink.h).</summary>
public enum RtmType : ushort
{
    /// <summary>RTM_NEWLINK: create a network device (or change one).</summary>
    NewLink = 16,
    /// <summary>RTM_DELLINK: delete a network device.</summary>
    DelLink = 17,
    /// <summary>RTM_GETLINK: read one network device or dump all.</summary>
    GetLink = 18,
    /// <summary>RTM_SETLINK: change a network device.</summary>
    SetLink = 19,
    /// <summary>RTM_NEWADDR: add an address to a device.</summary>
    NewAddr = 20,
    /// <summary>RTM_DELADDR: remove an address from a device.</summary>
    DelAddr = 21,
    /// <summary>RTM_GETADDR: read the addresses of devices.</summary>
    GetAddr = 22,
}
