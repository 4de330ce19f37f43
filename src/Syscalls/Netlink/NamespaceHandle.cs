using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls.Netlink;

/// <summary>An open /proc/.../ns/net (or bind-mounted) namespace file: holding it keeps the namespace alive.</summary>
internal sealed class NamespaceHandle : SafeHandle
{
    private NamespaceHandle() : base(invalidHandleValue: -1, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle < 0;

    /// <summary>Opens <paramref name="path"/>; on failure returns null with the errno in <paramref name="errno"/>.</summary>
    public static NamespaceHandle? TryOpen(string path, out Errno errno)
    {
        var fd = Interop.Open(path, Interop.O_RDONLY | Interop.O_CLOEXEC);
        errno = fd < 0 ? Errno.Last : default;
        if (fd < 0)
            return null;
        var handle = new NamespaceHandle();
        handle.SetHandle(fd);
        return handle;
    }

    public int Fd => (int)handle;

    protected override bool ReleaseHandle() => Interop.Close((int)handle) == 0;
}
