using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls.Netlink;

/// <summary>struct nlmsghdr.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NlMsgHdr
{
    public uint Len;
    public ushort Type;
    public ushort Flags;
    public uint Seq;
    public uint Pid;

    public const ushort NLMSG_ERROR = 2, NLMSG_DONE = 3;
}

/// <summary>struct ifinfomsg: the fixed header of RTM_*LINK messages.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IfInfoMsg
{
    public byte Family;
    public byte Pad;
    public ushort Type;
    public int Index;
    public uint Flags;
    public uint Change;
}

/// <summary>struct ifaddrmsg: the fixed header of RTM_*ADDR messages.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IfAddrMsg
{
    public byte Family;
    public byte PrefixLen;
    public byte Flags;
    public byte Scope;
    public uint Index;
}
