namespace CpuMap.Managed;

/// <summary>flags of BPF_MAP_UPDATE_ELEM (kernel: BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_F_LOCK).</summary>
[Flags]
public enum BpfUpdateFlags : ulong
{
    /// <summary>Create or replace.</summary>
    Any = 0,
    /// <summary>Create only; array-like maps (ARRAY, CPUMAP, DEVMAP) always answer EEXIST.</summary>
    NoExist = 1,
    /// <summary>Replace only.</summary>
    Exist = 2,
    /// <summary>Take the value's bpf_spin_lock while copying.</summary>
    Lock = 4,
}
