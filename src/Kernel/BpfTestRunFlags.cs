namespace CpuMap.Managed;

/// <summary>flags of BPF_PROG_TEST_RUN (kernel: BPF_F_TEST_*).</summary>
[Flags]
public enum BpfTestRunFlags : uint
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>BPF_F_TEST_RUN_ON_CPU: run the program on the CPU given in the attr's cpu field.</summary>
    RunOnCpu = 1u << 0,
    /// <summary>
    /// Frames are really transmitted or redirected (XDP_TX, XDP_REDIRECT) instead of being
    /// returned: a traffic source that needs no NIC. data_out must be empty.
    /// </summary>
    XdpLiveFrames = 1u << 1,
}
