using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

/// <summary><c>struct bpf_map_info</c>, as BPF_OBJ_GET_INFO_BY_FD fills it for a map.</summary>
[StructLayout(LayoutKind.Explicit, Size = 88)]
public struct BpfMapInfo
{
    [FieldOffset(0)] public BpfMapType Type;
    [FieldOffset(4)] public uint Id;
    [FieldOffset(8)] public uint KeySize;
    [FieldOffset(12)] public uint ValueSize;
    [FieldOffset(16)] public uint MaxEntries;
    [FieldOffset(20)] public BpfMapFlags MapFlags;
    [FieldOffset(24)] public BpfObjName Name;
    [FieldOffset(40)] public uint Ifindex;
    [FieldOffset(44)] public uint BtfVmlinuxValueTypeId;
    [FieldOffset(48)] public ulong NetnsDev;
    [FieldOffset(56)] public ulong NetnsIno;
    [FieldOffset(64)] public uint BtfId;
    [FieldOffset(68)] public uint BtfKeyTypeId;
    [FieldOffset(72)] public uint BtfValueTypeId;
    [FieldOffset(76)] public uint BtfVmlinuxId;
    [FieldOffset(80)] public ulong MapExtra;
}
