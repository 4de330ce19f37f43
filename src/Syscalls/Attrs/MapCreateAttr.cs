using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

/// <summary>The BPF_MAP_CREATE part of <c>union bpf_attr</c>.</summary>
[StructLayout(LayoutKind.Explicit, Size = 80)]
internal struct MapCreateAttr
{
    [FieldOffset(0)] public BpfMapType MapType;
    [FieldOffset(4)] public uint KeySize;
    [FieldOffset(8)] public uint ValueSize;
    [FieldOffset(12)] public uint MaxEntries;
    [FieldOffset(16)] public BpfMapFlags MapFlags;
    [FieldOffset(20)] public int InnerMapFd;
    [FieldOffset(24)] public uint NumaNode;
    [FieldOffset(28)] public BpfObjName MapName;
    [FieldOffset(44)] public uint MapIfindex;
    [FieldOffset(48)] public int BtfFd;
    [FieldOffset(52)] public uint BtfKeyTypeId;
    [FieldOffset(56)] public uint BtfValueTypeId;
    [FieldOffset(60)] public uint BtfVmlinuxValueTypeId;
    [FieldOffset(64)] public ulong MapExtra;
    [FieldOffset(72)] public int ValueTypeBtfObjFd;
    [FieldOffset(76)] public int MapTokenFd;
}
