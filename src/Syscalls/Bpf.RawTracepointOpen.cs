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
        return RawTracepointOpen(prog, Encoding.ASCII.GetBytes(tracepoint + "\0"), errno => $"(tracepoint '{tracepoint}') " + (errno switch
        {
            Errno.ENOENT => "the kernel has no such tracepoint; the names are under /sys/kernel/tracing/events/*/",
            Errno.EINVAL => "a program loaded with an attach_btf_id (tp_btf/, fentry/, fexit/, lsm/) already names its target and takes " +
                            "no tracepoint name: call RawTracepointOpen(prog) without one; otherwise " + BpfErrors.Hint(BpfCommand.RawTracepointOpen, errno),
            _ => BpfErrors.Hint(BpfCommand.RawTracepointOpen, errno),
        }));
    }

    /// <summary>
    /// BPF_RAW_TRACEPOINT_OPEN without a name: attaches a program that was loaded with its target's attach_btf_id
    /// (BPF_PROG_TYPE_TRACING from tp_btf/, fentry/, fexit/ or fmod_ret/ sections, BPF_PROG_TYPE_LSM) to that target,
    /// as libbpf's bpf_program__attach does for them. The answer is a link: closing it detaches.
    /// </summary>
    public static LinkFd RawTracepointOpen(ProgFd prog) =>
        RawTracepointOpen(prog, null, errno => errno == Errno.EFAULT
            ? "(no tracepoint name) only a program loaded with an attach_btf_id (tp_btf/, fentry/, fexit/, lsm/) names its own target; " +
              "a BPF_PROG_TYPE_RAW_TRACEPOINT program needs the tracepoint's name: call RawTracepointOpen(prog, tracepoint)"
            : $"(no tracepoint name) {BpfErrors.Hint(BpfCommand.RawTracepointOpen, errno)}");

    private static LinkFd RawTracepointOpen(ProgFd prog, byte[]? name, Func<Errno, string> hint)
    {
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
            BpfErrors.Throw(BpfCommand.RawTracepointOpen, errno, hint(errno));
        }
        return AdoptLink(fd);
    }
}
