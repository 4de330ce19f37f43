namespace CpuMap.Managed.Syscalls.Netlink;

/// <summary>The rtnetlink message types this library sends (kernel: RTM_* in linux/rtnetlink.h).</summary>
public enum RtmType : ushort
{
    NewLink = 16,
    DelLink = 17,
    GetLink = 18,
    SetLink = 19,
    NewAddr = 20,
    DelAddr = 21,
    GetAddr = 22,
}
