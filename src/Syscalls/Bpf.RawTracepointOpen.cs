using System.Text;

namespace CpuMap.Managed.Syscalls;

public static unsafe partial class Bpf
{
    /// <summary>
    /// BPF_RAW_TRACEPOINT_OPEN: attaches a BPF_PROG_TYPE_RAW_TRACEPOINT program to the kernel tracepoint
    /// <paramref name="tracepoint"/> (its event name without the subsystem, e.g. <c>xdp_cpumap_enqueue</c>).
    /// The answer is a link: closing it detaches.
    /// </summary>
    public static LinkFd RawTracepointOpen(ProgFd prog, string tracepoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tracepoint);
        if (tracepoint.Contains(':'))
            throw new ArgumentException(
                $"'{tracepoint}': give the event name alone, without its subsystem (e.g. 'xdp_cpumap_enqueue', not 'xdp:xdp_cpumap_enqueue').",
                nameof(tracepoint));
        var name = Encoding.ASCII.GetBytes(tracepoint + "\0");
        var added = false;
        int fd;
        try
        {
            fixed (byte* namePtr = name)
            {
                var attr = new RawTracepointOpenAttr
                {
                    Name = (ulong)namePtr,
                    ProgFd = BpfFd.AddRef(prog, ref added, nameof(prog)),
                };
                fd = Interop.Bpf(BpfCommand.RawTracepointOpen, ref attr);
            }
        }
        finally
        {
            if (added)
                prog.DangerousRelease();
        }
        if (fd < 0)
        {
            var errno = Errno.Last;
            BpfErrors.Throw(BpfCommand.RawTracepointOpen, errno,
                errno == Errno.ENOENT
                    ? $"(tracepoint '{tracepoint}') the kernel has no such tracepoint; the names are under /sys/kernel/tracing/events/*/"
                    : $"(tracepoint '{tracepoint}') {BpfErrors.Hint(BpfCommand.RawTracepointOpen, errno)}");
        }
        return AdoptLink(fd);
    }
}
