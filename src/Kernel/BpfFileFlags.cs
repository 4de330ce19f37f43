namespace CpuMap.Managed;

/// <summary>file_flags / open_flags of BPF_OBJ_GET and BPF_*_GET_FD_BY_ID (kernel: BPF_F_RDONLY, BPF_F_WRONLY).</summary>
[Flags]
public enum BpfFileFlags : uint
{
    None = 0,
    Rdonly = 1u << 3,
    Wronly = 1u << 4,
}
