using System.Runtime.ExceptionServices;

namespace CpuMap.Managed.Syscalls.Netlink;

/// <summary>
/// A network namespace, held open by an fd: created anonymous (it lives while this object, a
/// socket or a device's process holds it) or named under /run/netns like iproute2, so that
/// `ip netns` sees it. Namespaces belong to threads, not processes: <see cref="Run(Action)"/>
/// runs code on a dedicated thread that has entered the namespace, and the caller's thread never moves.
/// </summary>
/// <remarks>
/// Unlike `ip netns exec`, nothing here remounts /sys, so /sys/fs/bpf stays visible inside; the
/// flip side is that /sys/class/net still shows the devices of the namespace sysfs was mounted
/// in: inside, look devices up with <see cref="NetDevice"/> or <see cref="RtNetlink"/>, not sysfs.
/// </remarks>
public sealed class NetworkNamespace : IDisposable
{
    /// <summary>Where iproute2 keeps named network namespaces.</summary>
    public const string RunDirectory = "/run/netns";

    private const string ThreadSelfNet = "/proc/thread-self/ns/net";

    private readonly NamespaceHandle _handle;
    private readonly bool _ownsName;

    private NetworkNamespace(NamespaceHandle handle, string? name, bool ownsName)
    {
        _handle = handle;
        Name = name;
        _ownsName = ownsName;
    }

    /// <summary>The name under /run/netns, or null for an anonymous namespace.</summary>
    public string? Name { get; }

    /// <summary>The bind-mounted file of a named namespace (/run/netns/NAME), or null.</summary>
    public string? Path => Name is null ? null : System.IO.Path.Combine(RunDirectory, Name);

    /// <summary>
    /// Creates a namespace that no other process can find. The kernel destroys it, with every
    /// device inside (and the veth peers outside), once this object and every socket opened in it are closed.
    /// </summary>
    public static NetworkNamespace CreateAnonymous()
        => new(OnThread(() =>
        {
            Unshare();
            return OpenOrThrow(ThreadSelfNet);
        }), null, ownsName: false);

    /// <summary>
    /// Creates a namespace named <paramref name="name"/> under /run/netns, as `ip netns add` does;
    /// <see cref="Dispose"/> deletes it again (`ip netns del`).
    /// </summary>
    public static NetworkNamespace Create(string name)
    {
        ValidateName(name);
        var path = System.IO.Path.Combine(RunDirectory, name);
        MakeRunDirectoryShared();
        try
        {
            new FileStream(path, FileMode.CreateNew, FileAccess.Write).Dispose();
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new ArgumentException(
                $"A network namespace named '{name}' already exists ({path}): delete it (NetworkNamespace.Delete or 'ip netns del {name}') or pick another name.",
                nameof(name));
        }
        try
        {
            var handle = OnThread(() =>
            {
                Unshare();
                // The bind mount is what keeps a named namespace alive after every process has left it.
                if (Interop.Mount(ThreadSelfNet, path, "none", Interop.MS_BIND, 0) < 0)
                    throw new IOException($"Bind-mounting {ThreadSelfNet} on {path} (mount MS_BIND) failed with {Errno.Last}: /run must be writable and the process root.");
                return OpenOrThrow(path);
            });
            return new NetworkNamespace(handle, name, ownsName: true);
        }
        catch
        {
            Unmount(path);
            throw;
        }
    }

    /// <summary>Opens the existing named namespace /run/netns/<paramref name="name"/>; disposing only closes it.</summary>
    public static NetworkNamespace Open(string name)
    {
        ValidateName(name);
        var path = System.IO.Path.Combine(RunDirectory, name);
        var handle = NamespaceHandle.TryOpen(path, out var errno)
            ?? throw new ArgumentException(errno.Value == Errno.ENOENT
                ? $"No network namespace is named '{name}' ({path} does not exist): create it with NetworkNamespace.Create or 'ip netns add {name}'."
                : $"Cannot open network namespace '{name}' ({path}): {errno}.", nameof(name));
        return new NetworkNamespace(handle, name, ownsName: false);
    }

    /// <summary>
    /// Deletes the named namespace /run/netns/<paramref name="name"/> as `ip netns del` does: the
    /// name goes at once, the namespace itself when the last process or fd using it lets go.
    /// </summary>
    public static void Delete(string name)
    {
        ValidateName(name);
        var path = System.IO.Path.Combine(RunDirectory, name);
        if (!File.Exists(path))
            throw new ArgumentException($"No network namespace is named '{name}' ({path} does not exist).", nameof(name));
        Unmount(path);
    }

    /// <summary>The calling thread's current network namespace (normally the process's).</summary>
    public static NetworkNamespace Current() => new(OpenOrThrow(ThreadSelfNet), null, ownsName: false);

    /// <summary>The names under /run/netns, as `ip netns list` shows them.</summary>
    public static IReadOnlyList<string> ListNamed()
        => Directory.Exists(RunDirectory)
            ? Directory.GetFiles(RunDirectory).Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>Runs <paramref name="action"/> on a thread inside this namespace; its exceptions come back to the caller.</summary>
    public void Run(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Run<object?>(() =>
        {
            action();
            return null;
        });
    }

    /// <summary>Runs <paramref name="func"/> on a thread inside this namespace and returns its result.</summary>
    /// <remarks>Sockets (and so <see cref="RtNetlink"/>) opened inside stay in this namespace when used from any thread afterwards.</remarks>
    public T Run<T>(Func<T> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        return OnThread(() =>
        {
            if (Interop.Setns(_handle, Interop.CLONE_NEWNET) < 0)
                throw Failed($"setns(CLONE_NEWNET) into {Describe()}", "Entering a network namespace");
            return func();
        });
    }

    /// <summary>Opens an rtnetlink socket inside this namespace.</summary>
    public RtNetlink OpenRtNetlink() => Run(RtNetlink.Open);

    internal NamespaceHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    /// <summary>Closes the namespace fd; a namespace this object created by name is also unmounted and its file removed.</summary>
    public void Dispose()
    {
        if (_handle.IsClosed)
            return;
        _handle.Dispose();
        if (_ownsName && Path is { } path)
            Unmount(path);
    }

    private static void Unmount(string path)
    {
        // MNT_DETACH: like `ip netns del`, succeed even while a process still uses the mount.
        if (Interop.Umount2(path, Interop.MNT_DETACH) < 0 && Errno.Last.Value != Errno.EINVAL)
            throw Failed($"umount2({path}, MNT_DETACH)", "Unmounting a named network namespace");
        File.Delete(path);
    }

    /// <inheritdoc/>
    public override string ToString() => Describe();

    private string Describe() => Name is null ? "an anonymous network namespace" : $"network namespace '{Name}'";

    /// <summary>
    /// Runs <paramref name="func"/> on a new thread and ends the thread afterwards, so a thread
    /// moved into another namespace never returns to the thread pool.
    /// </summary>
    private static T OnThread<T>(Func<T> func)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = func();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }) { IsBackground = true, Name = "netns" };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    private static void Unshare()
    {
        if (Interop.Unshare(Interop.CLONE_NEWNET) < 0)
            throw Failed("unshare(CLONE_NEWNET)", "Creating a network namespace");
    }

    /// <summary>A namespace or mount call failed (errno still the call's): EPERM names CAP_SYS_ADMIN and how to grant it.</summary>
    private static IOException Failed(string call, string action)
    {
        var errno = Errno.Last;
        return new IOException($"{call} failed with {errno}: " + (errno.Value is Errno.EPERM
            ? Capabilities.ExplainDenied(action, Capability.SysAdmin)
            : $"{action} was refused; see the errno's manual page."));
    }

    private static NamespaceHandle OpenOrThrow(string path)
        => NamespaceHandle.TryOpen(path, out var errno)
            ?? throw new IOException($"open({path}) failed with {errno}: /proc must be mounted.");

    /// <summary>
    /// iproute2's trick: /run/netns is made a shared mount point so that namespace bind mounts
    /// propagate into other mount namespaces (containers, `ip netns exec`) instead of pinning there.
    /// </summary>
    private static void MakeRunDirectoryShared()
    {
        Directory.CreateDirectory(RunDirectory);
        if (Interop.Mount("", RunDirectory, "none", Interop.MS_SHARED | Interop.MS_REC, 0) == 0)
            return;
        if (Errno.Last.Value != Errno.EINVAL)
            throw Failed($"mount(MS_SHARED | MS_REC) of {RunDirectory}", "Making the named-namespace directory a shared mount");
        // EINVAL: not a mount point yet; bind it onto itself, then it can be shared.
        if (Interop.Mount(RunDirectory, RunDirectory, "none", Interop.MS_BIND | Interop.MS_REC, 0) < 0
            || Interop.Mount("", RunDirectory, "none", Interop.MS_SHARED | Interop.MS_REC, 0) < 0)
            throw Failed($"making {RunDirectory} a shared mount", "Making the named-namespace directory a shared mount");
    }

    private static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name is "." or ".." || name.Contains('/') || name.Length > 255)
            throw new ArgumentException($"'{name}' is not a valid network namespace name: it becomes a file name under {RunDirectory} (no '/', not '.' or '..').", nameof(name));
    }
}
