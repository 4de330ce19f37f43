namespace CpuMap.Managed;

/// <summary>XDP program return codes (kernel: <c>enum xdp_action</c>).</summary>
public enum XdpAction : uint
{
    Aborted = 0,
    Drop = 1,
    Pass = 2,
    Tx = 3,
    Redirect = 4,
}
