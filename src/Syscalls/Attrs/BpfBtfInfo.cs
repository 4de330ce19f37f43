using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

/// <summary>struct bpf_btf_info, as BPF_OBJ_GET_INFO_BY_FD fills it for a BTF fd.</summary>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public struct BpfBtfInfo
{
    /// <summary><c>btf</c>: user pointer to a buffer for the raw BTF.</summary>
    [FieldOffset(0)] public ulong Btf;
    /// <summary><c>btf_size</c>: bytes of the raw BTF (in: room in <see cref="Btf"/>).</summary>
    [FieldOffset(8)] public uint BtfSize;
    /// <summary><c>id</c>: the BTF object's ID.</summary>
    [FieldOffset(12)] public uint Id;
    /// <summary><c>name</c>: user pointer to a buffer for the name (e.g. "vmlinux" or a module's name).</summary>
    [FieldOffset(16)] public ulong Name;
    /// <summary><c>name_len</c>: bytes of the name (in: room in <see cref="Name"/>).</summary>
    [FieldOffset(24)] public uint NameLen;
    /// <summary><c>kernel_btf</c>: 1 when the BTF is the kernel's or a module's, 0 when user space loaded it.</summary>
    [FieldOffset(28)] public uint KernelBtf;
}
