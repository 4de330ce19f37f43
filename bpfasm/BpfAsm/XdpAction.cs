namespace BpfAsm;

/// <summary>
/// The XDP program return codes (<c>enum xdp_action</c>) a program returns. bpfasm depends on nothing, so
/// these are named here as well as in src/Syscalls, where they are what PROG_TEST_RUN answers.
/// </summary>
public enum XdpAction : uint
{
    Aborted = 0, Drop = 1, Pass = 2, Tx = 3, Redirect = 4,
}
