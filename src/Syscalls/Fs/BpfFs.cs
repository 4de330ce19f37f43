using System.Runtime.InteropServices;

namespace CpuMap.Managed.Syscalls;

/// <summary>
/// The BPF filesystem, where pins live. A fresh machine may have none mounted at /sys/fs/bpf (systemd mounts one,
/// a minimal VM or container does not): pinning there mounts one first, as bpftool does.
/// </summary>
public static unsafe class BpfFs
{
    /// <summary>Where the BPF filesystem is mounted by convention.</summary>
    public const string DefaultRoot = "/sys/fs/bpf";

    /// <summary>BPF_FS_MAGIC, statfs's f_type of a BPF filesystem.</summary>
    public const long Magic = 0xcafe4a11;

    /// <summary>
    /// Whether <paramref name="path"/>, or the nearest ancestor that exists, is on a BPF filesystem. statfs decides,
    /// not /proc/self/mounts: reading the mount table while another process mounts can skip lines.
    /// </summary>
    public static bool Contains(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var existing = Path.GetFullPath(path);
        while (!Directory.Exists(existing))
            existing = Path.GetDirectoryName(existing) ?? "/";
        return TypeOf(existing) == Magic;
    }

    /// <summary>
    /// Makes sure pins can go under <paramref name="directory"/>: when it lies under <see cref="DefaultRoot"/> and no
    /// BPF filesystem is mounted there, mounts one (mode 0700, as bpftool does). Returns the mount point it mounted,
    /// or null when nothing had to be mounted. A directory anywhere else must already be on a BPF filesystem.
    /// </summary>
    /// <exception cref="BpfOperationException">The directory is not on a BPF filesystem and none can be mounted for it; the message says what to do.</exception>
    public static string? EnsureFor(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var full = Path.GetFullPath(directory);
        if (Contains(full))
            return null;
        if (full != DefaultRoot && !full.StartsWith(DefaultRoot + "/", StringComparison.Ordinal))
            throw new BpfOperationException("pin",
                $"{full} is not on a BPF filesystem, so nothing can be pinned there. Pin under {DefaultRoot} (a BPF filesystem is " +
                $"mounted there when none is), or mount one first: 'mount -t bpf bpf {Path.GetDirectoryName(full) ?? full}'.");
        return MountDefaultRoot() ? DefaultRoot : null;
    }

    /// <summary>
    /// Mounts a BPF filesystem at /sys/fs/bpf unless one is there; false when another process did it first. The check and
    /// the mount happen under an flock of the directory, so two processes never stack two mounts (the second would hide
    /// the first one's pins).
    /// </summary>
    private static bool MountDefaultRoot()
    {
        if (!Directory.Exists(DefaultRoot))
            throw new BpfOperationException("mount -t bpf", $"{DefaultRoot} does not exist: sysfs is not mounted at /sys, so no BPF filesystem can be mounted " +
                "there. Mount sysfs, or pin in a folder on a BPF filesystem mounted elsewhere ('mount -t bpf bpf DIR').");
        var fd = Interop.Open(DefaultRoot, Interop.O_RDONLY | Interop.O_DIRECTORY | Interop.O_CLOEXEC);
        if (fd < 0)
            throw Failed($"open({DefaultRoot})", Errno.Last);
        try
        {
            if (Interop.Flock(fd, Interop.LOCK_EX) < 0)
                throw Failed($"flock({DefaultRoot})", Errno.Last);
            if (TypeOf(DefaultRoot) == Magic)
                return false;
            var options = Marshal.StringToCoTaskMemUTF8("mode=0700");
            try
            {
                if (Interop.Mount("bpf", DefaultRoot, "bpf", 0, options) < 0)
                    throw Failed($"mount -t bpf bpf {DefaultRoot}", Errno.Last);
            }
            finally
            {
                Marshal.FreeCoTaskMem(options);
            }
            return true;
        }
        finally
        {
            Interop.Close(fd);
        }
    }

    private static long TypeOf(string path)
    {
        var buffer = stackalloc byte[Interop.StatfsSize];
        if (Interop.Statfs(path, buffer) < 0)
            throw Failed($"statfs({path})", Errno.Last);
        return *(long*)buffer;
    }

    private static BpfOperationException Failed(string call, Errno errno) => BpfOperationException.SystemCall(call, errno, errno is Errno.EPERM or Errno.EACCES
        ? Capabilities.ExplainDenied($"Mounting a BPF filesystem at {DefaultRoot} for the pins", Capability.SysAdmin)
        : "no BPF filesystem could be mounted for the pins; mount one by hand ('mount -t bpf bpf " + DefaultRoot + "').");
}
