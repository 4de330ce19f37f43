using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

/// <summary><c>struct bpf_map_info</c>, as BPF_OBJ_GET_INFO_BY_FD fills it for a map.</summary>
[StructLayout(LayoutKind.Explicit, Size = 88)]
public struct BpfMapInfo
{
    /// <summary><c>type</c>: the map type.</summary>
    [FieldOffset(0)] public BpfMapType Type;
    /// <summary><c>id</c>: the map's ID.</summary>
    [FieldOffset(4)] public uint Id;
    /// <summary><c>key_size</c>: bytes of a key.</summary>
    [FieldOffset(8)] public uint KeySize;
    /// <summary><c>value_size</c>: bytes of a value (of one CPU's value in a per-CPU map).</summary>
    [FieldOffset(12)] public uint ValueSize;
    /// <summary><c>max_entries</c>: the most elements the map holds.</summary>
    [FieldOffset(16)] public uint MaxEntries;
    /// <summary><c>map_flags</c>: the flags the map was created with.</summary>
    [FieldOffset(20)] public BpfMapFlags MapFlags;
    /// <summary><c>name</c>: the map name given at creation.</summary>
    [FieldOffset(24)] public BpfObjName Name;
    /// <summary><c>ifindex</c>: the device of an offloaded map (0 when not offloaded).</summary>
    [FieldOffset(40)] public uint Ifindex;
    /// <summary><c>btf_vmlinux_value_type_id</c>: the vmlinux BTF type of a STRUCT_OPS map's value.</summary>
    [FieldOffset(44)] public uint BtfVmlinuxValueTypeId;
    /// <summary><c>netns_dev</c>: the device number of the offload device's network namespace.</summary>
    [FieldOffset(48)] public ulong NetnsDev;
    /// <summary><c>netns_ino</c>: the inode of the offload device's network namespace.</summary>
    [FieldOffset(56)] public ulong NetnsIno;
    /// <summary><c>btf_id</c>: the ID of the map's BTF (0 when it has none).</summary>
    [FieldOffset(64)] public uint BtfId;
    /// <summary><c>btf_key_type_id</c>: the BTF type of the key.</summary>
    [FieldOffset(68)] public uint BtfKeyTypeId;
    /// <summary><c>btf_value_type_id</c>: the BTF type of the value.</summary>
    [FieldOffset(72)] public uint BtfValueTypeId;
    /// <summary><c>btf_vmlinux_id</c>: the ID of the vmlinux BTF a STRUCT_OPS map refers to.</summary>
    [FieldOffset(76)] public uint BtfVmlinuxId;
    /// <summary><c>map_extra</c>: type-specific: the number of hash functions of a BLOOM_FILTER, the user-space address of an ARENA.</summary>
    [FieldOffset(80)] public ulong MapExtra;
}
