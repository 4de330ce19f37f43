using static CpuMap.Managed.Errno;

namespace CpuMap.Managed.Syscalls.Netlink;

/// <summary>What an errno most likely means for an rtnetlink request; callers with more context pass their own hint.</summary>
internal static class NetlinkErrors
{
    internal static string Hint(RtmType request, Errno errno) => (request, errno) switch
    {
        (_, EPERM) => Capabilities.ExplainDenied("Changing network devices (in the device's network namespace)", Capability.NetAdmin),
        (_, ENODEV) => "no network device has this index or name in this network namespace: check the name with 'ip link' " +
            "(devices in another namespace are not visible from this one).",
        (RtmType.NewLink, EEXIST) => "a network device with this name already exists in the namespace: pick another name or delete it first.",
        (RtmType.NewLink, EOPNOTSUPP) => "the kernel has no driver for this link kind: load its module (modprobe veth).",
        (RtmType.NewLink or RtmType.SetLink, EINVAL) => "the kernel refused an attribute: a name longer than 15 bytes (IFNAMSIZ), " +
            "a bad namespace fd, or flags this request does not take.",
        (RtmType.NewAddr, EEXIST) => "the address is already assigned to this device.",
        (RtmType.NewAddr, EINVAL) => "the prefix length is out of range (0..32 for IPv4) or the address is invalid.",
        (_, EBADF) => "a file descriptor in the request (program or namespace fd) is not open.",
        (_, EINVAL) => "the kernel refused an attribute of this request.",
        _ => "see rtnetlink(7) for this request and errno.",
    };
}
