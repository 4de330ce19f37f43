namespace CpuMap.Managed.Syscalls;

public static unsafe partial class Bpf
{
    /// <summary>
    /// BPF_PROG_TEST_RUN: runs <paramref name="prog"/> on <paramref name="dataIn"/>
    /// <paramref name="repeat"/> times. With <see cref="BpfTestRunFlags.XdpLiveFrames"/> the
    /// frames are really sent on (XDP_TX, XDP_REDIRECT), <paramref name="batchSize"/> at a time.
    /// </summary>
    /// <param name="prog">The program to run.</param>
    /// <param name="dataIn">The packet (for XDP, an Ethernet frame of at least 14 bytes).</param>
    /// <param name="dataOut">Receives the packet as the program left it; must be empty for live frames.</param>
    /// <param name="repeat">How many runs (0 means 1).</param>
    /// <param name="flags">Test-run flags.</param>
    /// <param name="batchSize">Live frames: frames per batch (kernel default 64, at most 256).</param>
    /// <param name="ctxIn">The context to run with (for XDP: struct xdp_md), or empty.</param>
    /// <param name="ctxOut">Receives the context as the program left it, or empty.</param>
    /// <param name="cpu">With <see cref="BpfTestRunFlags.RunOnCpu"/>: the CPU to run on.</param>
    public static ProgTestRunResult ProgTestRun(ProgFd prog, ReadOnlySpan<byte> dataIn, Span<byte> dataOut = default,
        uint repeat = 1, BpfTestRunFlags flags = BpfTestRunFlags.None, uint batchSize = 0,
        ReadOnlySpan<byte> ctxIn = default, Span<byte> ctxOut = default, uint cpu = 0)
    {
        var added = false;
        fixed (byte* din = dataIn)
        fixed (byte* dout = dataOut)
        fixed (byte* cin = ctxIn)
        fixed (byte* cout = ctxOut)
        {
            var attr = new TestRunAttr
            {
                DataIn = (ulong)din,
                DataSizeIn = (uint)dataIn.Length,
                DataOut = (ulong)dout,
                DataSizeOut = (uint)dataOut.Length,
                CtxIn = (ulong)cin,
                CtxSizeIn = (uint)ctxIn.Length,
                CtxOut = (ulong)cout,
                CtxSizeOut = (uint)ctxOut.Length,
                Repeat = repeat,
                Flags = flags,
                BatchSize = batchSize,
                Cpu = cpu,
            };
            try
            {
                attr.ProgFd = BpfFd.AddRef(prog, ref added, nameof(prog));
                if (Interop.Bpf(BpfCommand.ProgTestRun, ref attr) < 0)
                {
                    var errno = Errno.Last;
                    BpfErrors.Throw(BpfCommand.ProgTestRun, errno,
                        errno == Errno.ENOSPC
                            ? $"data_out holds {dataOut.Length} bytes but the output frame has {attr.DataSizeOut}: pass a buffer of at least {attr.DataSizeOut} bytes."
                            : BpfErrors.Hint(BpfCommand.ProgTestRun, errno));
                }
            }
            finally
            {
                if (added)
                    prog.DangerousRelease();
            }
            return new ProgTestRunResult(attr.Retval, attr.Duration, attr.DataSizeOut, attr.CtxSizeOut);
        }
    }
}
