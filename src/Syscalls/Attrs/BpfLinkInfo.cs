using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

/// <summary><c>struct bpf_link_info</c>: the common head and the <c>xdp</c> member of its union.</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct BpfLinkInfo
{
    /// <summary><c>type</c>: the link type.</summary>
    [FieldOffset(0)] public BpfLinkType Type;
    /// <summary><c>id</c>: the link's ID.</summary>
    [FieldOffset(4)] public uint Id;
    /// <summary><c>prog_id</c>: the ID of the link's program.</summary>
    [FieldOffset(8)] public uint ProgId;
    /// <summary><c>xdp.ifindex</c>: the device an XDP link is attached to.</summary>
    [FieldOffset(16)] public uint XdpIfindex;
}
