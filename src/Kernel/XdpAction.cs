namespace CpuMap.Managed;

/// <summary>XDP program return codes (kernel: <c>enum xdp_action</c>).</summary>
public enum XdpAction : uint
{
    /// <summary>XDP_ABORTED: drop the frame and fire the xdp_exception tracepoint (a program error).</summary>
    Aborted = 0,
    /// <summary>XDP_DROP: drop the frame.</summary>
    Drop = 1,
    /// <summary>XDP_PASS: hand the frame on to the kernel network stack.</summary>
    Pass = 2,
    /// <summary>XDP_TX: send the frame back out of the device it arrived on.</summary>
    Tx = 3,
    /// <summary>XDP_REDIRECT: send the frame where bpf_redirect or bpf_redirect_map chose (a device, CPU or AF_XDP socket).</summary>
    Redirect = 4,
}
