namespace CpuMap.Managed.Syscalls;

/// <summary>What BPF_PROG_TEST_RUN reports.</summary>
/// <param name="Retval">The program's return value (for XDP an <see cref="XdpAction"/>).</param>
/// <param name="Duration">Mean nanoseconds per run.</param>
/// <param name="DataSizeOut">Bytes of output frame (also set when data_out was too small).</param>
/// <param name="CtxSizeOut">Bytes of output context.</param>
public readonly record struct ProgTestRunResult(uint Retval, uint Duration, uint DataSizeOut, uint CtxSizeOut)
{
    /// <summary><see cref="Retval"/> as an XDP action.</summary>
    public XdpAction XdpAction => (XdpAction)Retval;
}
