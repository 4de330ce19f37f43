namespace CpuMap.Managed;

/// <summary>
/// The root of every refusal this library reports: the kernel's (bpf(2), netlink, another system call), the
/// machine's (no such device, no BPF filesystem, a program of another tool in the way) and an input file's (a
/// damaged or unsupported object). Catch it to report any of them; its message names what failed, why and what
/// to do. Subtypes exist where a caller would catch them apart (<c>BpfException</c> and its verifier log,
/// <c>NetlinkException</c>, <c>XdpAttachException</c>, <c>BpfObjectException</c>, <c>BpfLoadException</c>).
/// A mistake in the calling code (a null, a negative size) is an <see cref="ArgumentException"/> instead.
/// </summary>
public class BpfOperationException : Exception
{
    /// <summary>A refusal of <paramref name="operation"/>, with the kernel's <paramref name="errno"/> where there is one.</summary>
    public BpfOperationException(string operation, string message, Errno? errno = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        Operation = operation;
        Errno = errno;
        if (errno is { } value)
            HResult = (int)value;
    }

    /// <summary>
    /// A system call's refusal in the one format: "<paramref name="call"/> failed with EPERM (Operation not permitted):
    /// <paramref name="hint"/>", with the call as <see cref="Operation"/>.
    /// </summary>
    public static BpfOperationException SystemCall(string call, Errno errno, string hint)
        => new(call, $"{call} failed with {errno.NameAndDescription}: {hint}", errno);

    /// <summary>
    /// What failed, in the kernel's words where it is a kernel call: "BPF_MAP_UPDATE_ELEM", "RTM_SETLINK",
    /// "mount -t bpf", "if_nametoindex", "read ELF object", "attach XDP".
    /// </summary>
    public string Operation { get; }

    /// <summary>What the kernel answered, or null where no system call failed (an input file, the machine's state).</summary>
    public Errno? Errno { get; }
}
