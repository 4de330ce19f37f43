namespace BpfAsm;

/// <summary>The XDP program return codes (<c>enum xdp_action</c>).</summary>
public enum XdpAction
{
    Aborted = 0, Drop = 1, Pass = 2, Tx = 3, Redirect = 4,
}
