using CpuMap.Managed.Syscalls.Netlink;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>
/// What a test could leave behind: fds of BPF objects and network namespaces, and the named namespaces and
/// root-namespace devices that this process's tests or the demo would make. (Other fds come and go with the runtime
/// loading assemblies; other names belong to test processes running beside this one, which add and remove theirs.)
/// </summary>
internal sealed record Leftovers(IReadOnlyList<string> Fds, IReadOnlyList<string> Namespaces, IReadOnlyList<string> Devices)
{
    public static Leftovers Now()
    {
        // Handles that lost their owner close in finalizers: collect first so only real leaks count.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var rtnl = RtNetlink.Open();
        return new Leftovers(KernelObjectFds(), NetworkNamespace.ListNamed().Where(Ours).ToArray(),
            rtnl.GetLinks().Select(l => l.Name).Where(Ours).Order(StringComparer.Ordinal).ToArray());
    }

    private static bool Ours(string name) => name.StartsWith(TestNetwork.NamePrefix, StringComparison.Ordinal)
        || name is Programs.SoftwareRssDemo.DeviceName or Programs.SoftwareRssDemo.PeerName;

    /// <summary>Fails unless nothing was added since <paramref name="before"/>.</summary>
    public void AssertNothingAddedSince(Leftovers before)
    {
        Assert.Equal(before.Namespaces, Namespaces);
        Assert.Equal(before.Devices, Devices);
        Assert.Empty(Fds.Except(before.Fds));
    }

    /// <summary>"fd -> anon_inode:bpf-map" and "fd -> net:[4026532...]" for each such open fd.</summary>
    private static string[] KernelObjectFds() =>
        Directory.GetFiles("/proc/self/fd")
            .Select(fd => (Fd: Path.GetFileName(fd), Target: new FileInfo(fd).LinkTarget ?? ""))
            .Where(f => f.Target.StartsWith("anon_inode:bpf", StringComparison.Ordinal) || f.Target.StartsWith("net:[", StringComparison.Ordinal))
            .Select(f => $"{f.Fd} -> {f.Target}")
            .Order(StringComparer.Ordinal)
            .ToArray();
}
