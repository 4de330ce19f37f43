namespace CpuMap.Managed;

/// <summary>prog_flags of BPF_PROG_LOAD (kernel: BPF_F_*).</summary>
[Flags]
public enum BpfProgFlags : uint
{
    None = 0,
    StrictAlignment = 1u << 0,
    AnyAlignment = 1u << 1,
    TestRndHi32 = 1u << 2,
    TestStateFreq = 1u << 3,
    Sleepable = 1u << 4,
    /// <summary>
    /// The XDP program understands multi-buffer frames. A CPUMAP or DEVMAP keeps the setting of
    /// the first program that used it; programs with the other setting are refused from then on.
    /// </summary>
    XdpHasFrags = 1u << 5,
}
