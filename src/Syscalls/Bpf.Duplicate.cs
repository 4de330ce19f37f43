namespace CpuMap.Managed.Syscalls;

public static partial class Bpf
{
    /// <summary>
    /// A second fd for the same map (fcntl F_DUPFD_CLOEXEC), owned by the caller: to hand a map to an owner that closes
    /// it (a loaded object sharing it) while the original stays open, as libbpf's bpf_map__reuse_fd does.
    /// </summary>
    public static MapFd Duplicate(MapFd map)
    {
        var added = false;
        try
        {
            var fd = Interop.Fcntl(BpfFd.AddRef(map, ref added, nameof(map)), Interop.F_DUPFD_CLOEXEC, 0);
            if (fd < 0)
                throw BpfOperationException.SystemCall($"fcntl(F_DUPFD_CLOEXEC) of {map}", Errno.Last, "the process may be out of file descriptors (ulimit -n).");
            return AdoptMap(fd);
        }
        finally
        {
            if (added)
                map.DangerousRelease();
        }
    }
}
