using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

/// <summary>
/// A Linux errno value with its symbolic name (EPERM, E2BIG, ...) and libc's description.
/// The names come from a small table rather than Mono.Posix: it also knows the kernel-internal
/// codes bpf(2) leaks to user space (ENOTSUPP 524) and needs no native helper library.
/// </summary>
public readonly record struct Errno(int Value)
{
    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7,
        ENOEXEC = 8, EBADF = 9, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16,
        EEXIST = 17, EXDEV = 18, ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENFILE = 23,
        EMFILE = 24, ENOTTY = 25, EFBIG = 27, ENOSPC = 28, ESPIPE = 29, EROFS = 30, ERANGE = 34, ENAMETOOLONG = 36,
        ENOSYS = 38, ELOOP = 40, ENODATA = 61, ENOLINK = 67, EOVERFLOW = 75, EBADFD = 77, EOPNOTSUPP = 95,
        EADDRNOTAVAIL = 99, ENETDOWN = 100, ETIMEDOUT = 110, EALREADY = 114, EINPROGRESS = 115,
        ENOTSUPP = 524;

    /// <summary>The symbolic name, e.g. "E2BIG", or "errno 123" for a value not in the table.</summary>
    public string Name => Value switch
    {
        EPERM => "EPERM", ENOENT => "ENOENT", ESRCH => "ESRCH", EINTR => "EINTR", EIO => "EIO",
        ENXIO => "ENXIO", E2BIG => "E2BIG", ENOEXEC => "ENOEXEC", EBADF => "EBADF", EAGAIN => "EAGAIN",
        ENOMEM => "ENOMEM", EACCES => "EACCES", EFAULT => "EFAULT", EBUSY => "EBUSY", EEXIST => "EEXIST",
        EXDEV => "EXDEV", ENODEV => "ENODEV", ENOTDIR => "ENOTDIR", EISDIR => "EISDIR", EINVAL => "EINVAL",
        ENFILE => "ENFILE", EMFILE => "EMFILE", ENOTTY => "ENOTTY", EFBIG => "EFBIG", ENOSPC => "ENOSPC", ESPIPE => "ESPIPE",
        EROFS => "EROFS", ERANGE => "ERANGE", ENAMETOOLONG => "ENAMETOOLONG", ENOSYS => "ENOSYS",
        ELOOP => "ELOOP", ENODATA => "ENODATA", ENOLINK => "ENOLINK", EOVERFLOW => "EOVERFLOW", EBADFD => "EBADFD",
        EOPNOTSUPP => "EOPNOTSUPP", EADDRNOTAVAIL => "EADDRNOTAVAIL", ENETDOWN => "ENETDOWN",
        ETIMEDOUT => "ETIMEDOUT", EALREADY => "EALREADY", EINPROGRESS => "EINPROGRESS",
        ENOTSUPP => "ENOTSUPP",
        _ => $"errno {Value}",
    };

    /// <summary>libc's strerror text; for ENOTSUPP, which libc does not know, the kernel's meaning.</summary>
    public string Description => Value == ENOTSUPP
        ? "Operation is not supported (kernel-internal ENOTSUPP)"
        : Marshal.GetPInvokeErrorMessage(Value);

    /// <summary>The errno of the last failed P/Invoke on this thread.</summary>
    public static Errno Last => new(Marshal.GetLastPInvokeError());

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Description})";
}
