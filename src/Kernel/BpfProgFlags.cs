namespace CpuMap.Managed;

/// <summary>prog_flags of BPF_PROG_LOAD (kernel: BPF_F_*).</summary>
[Flags]
public enum BpfProgFlags : uint
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>BPF_F_STRICT_ALIGNMENT: the verifier checks pointer alignment even where the architecture does not need it.</summary>
    StrictAlignment = 1u << 0,
    /// <summary>BPF_F_ANY_ALIGNMENT: the verifier skips alignment checks (testing only).</summary>
    AnyAlignment = 1u << 1,
    /// <summary>BPF_F_TEST_RND_HI32: the verifier fills the upper 32 bits of zero-extended registers with random values (testing only).</summary>
    TestRndHi32 = 1u << 2,
    /// <summary>BPF_F_TEST_STATE_FREQ: the verifier checkpoints its state more often (testing only).</summary>
    TestStateFreq = 1u << 3,
    /// <summary>BPF_F_SLEEPABLE: the program may sleep (fentry/fexit, LSM, iterators, uprobes).</summary>
    Sleepable = 1u << 4,
    /// <summary>
    /// The XDP program understands multi-buffer frames. A CPUMAP or DEVMAP keeps the setting of
    /// the first program that used it; programs with the other setting are refused from then on.
    /// </summary>
    XdpHasFrags = 1u << 5,
}
