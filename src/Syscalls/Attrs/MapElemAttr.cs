using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

/// <summary>The BPF_MAP_*_ELEM and BPF_MAP_FREEZE part of <c>union bpf_attr</c>; pointers are user addresses.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
internal struct MapElemAttr
{
    [FieldOffset(0)] public int MapFd;
    [FieldOffset(8)] public ulong Key;
    [FieldOffset(16)] public ulong Value;
    /// <summary>Shares its place with <see cref="Value"/>: the output of BPF_MAP_GET_NEXT_KEY.</summary>
    [FieldOffset(16)] public ulong NextKey;
    [FieldOffset(24)] public ulong Flags;
}
