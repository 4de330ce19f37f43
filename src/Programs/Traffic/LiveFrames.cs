using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Programs.Traffic;

/// <summary>
/// A traffic source without a NIC: BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES runs an XDP
/// program on copies of a frame and really carries out what it returns, so XDP_REDIRECT into a
/// CPUMAP puts the frames on the remote CPUs' queues.
/// </summary>
public static class LiveFrames
{
    /// <summary>The kernel's largest batch (a larger batch_size gives E2BIG).</summary>
    public const uint MaxBatchSize = 256;

    /// <summary>Runs <paramref name="program"/> on <paramref name="count"/> copies of <paramref name="frame"/>, <paramref name="batchSize"/> at a time.</summary>
    /// <param name="program">A loaded XDP program.</param>
    /// <param name="frame">An Ethernet frame of at least 14 bytes, e.g. <see cref="EthernetFrame.Udp"/>.</param>
    /// <param name="count">Frames to send, 1 or more.</param>
    /// <param name="batchSize">Frames per batch, 1..256 (the kernel's default is 64).</param>
    /// <param name="ingressIfindex">The device the frames seem to arrive on (xdp_md.ingress_ifindex), or 0 for
    /// loopback, the kernel's default.</param>
    /// <returns>The run's report; its duration is the mean nanoseconds per frame.</returns>
    public static ProgTestRunResult Send(ProgFd program, ReadOnlySpan<byte> frame, uint count, uint batchSize = 64, int ingressIfindex = 0)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (frame.Length < 14)
            throw new ArgumentException(
                $"The frame is {frame.Length} bytes; an Ethernet frame has at least its 14-byte header (the kernel answers EINVAL). Use EthernetFrame.Udp().",
                nameof(frame));
        if (count == 0)
            throw new ArgumentOutOfRangeException(nameof(count), count,
                "Send at least one frame (the kernel would read a repeat of 0 as 1).");
        if (batchSize is 0 or > MaxBatchSize)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize,
                $"A live-frames batch is 1 to {MaxBatchSize} frames (the kernel answers E2BIG above).");
        if (ingressIfindex < 0)
            throw new ArgumentOutOfRangeException(nameof(ingressIfindex), ingressIfindex,
                "An ifindex is above 0 (or 0 for the kernel's default, loopback); look a device up with NetDevice.IndexOf.");
        if (ingressIfindex == 0)
            return Bpf.ProgTestRun(program, frame, default, count, BpfTestRunFlags.XdpLiveFrames, batchSize);
        // struct xdp_md: data 0, data_end = the frame's length, data_meta 0, ingress_ifindex, rx_queue_index 0, egress 0.
        Span<uint> xdpMd = [0, (uint)frame.Length, 0, (uint)ingressIfindex, 0, 0];
        return Bpf.ProgTestRun(program, frame, default, count, BpfTestRunFlags.XdpLiveFrames, batchSize,
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(xdpMd));
    }
}
