namespace CpuMap.Managed;

/// <summary>file_flags / open_flags of BPF_OBJ_GET and BPF_*_GET_FD_BY_ID (kernel: BPF_F_RDONLY, BPF_F_WRONLY).</summary>
[Flags]
public enum BpfFileFlags : uint
{
    /// <summary>Read and write.</summary>
    None = 0,
    /// <summary>BPF_F_RDONLY: the new fd may only read.</summary>
    Rdonly = 1u << 3,
    /// <summary>BPF_F_WRONLY: the new fd may only write.</summary>
    Wronly = 1u << 4,
}
