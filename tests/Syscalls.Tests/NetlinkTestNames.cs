using CpuMap.Managed.Syscalls.Netlink;

namespace CpuMap.Managed.Syscalls.Tests;

/// <summary>
/// Device and namespace names unique to this test run ("cmn" + pid + counter, within IFNAMSIZ),
/// and the check that a test left none of them behind.
/// </summary>
internal static class NetlinkTestNames
{
    private static int _next;

    public static string Prefix { get; } = $"cmn{Environment.ProcessId % 100000}x";

    /// <summary>A fresh name; peers get "p" appended, so it stays at most 14 bytes.</summary>
    public static string Next()
    {
        var name = Prefix + Interlocked.Increment(ref _next);
        Assert.True(name.Length < NetDevice.MaxNameLength, name);
        return name;
    }

    /// <summary>
    /// Fails when a device in the root namespace or a named namespace is named <paramref name="name"/>, or that name
    /// and one letter (a peer "p", a namespace "n"), after removing them, so that one failing test leaves nothing
    /// behind for the next. Not any name it prefixes: "x1" is a prefix of "x10", another running test's.
    /// </summary>
    public static void AssertNothingLeftBy(string name)
    {
        bool Made(string candidate) => candidate == name
            || (candidate.Length == name.Length + 1 && candidate.StartsWith(name, StringComparison.Ordinal) && char.IsLetter(candidate[^1]));
        using var rtnl = RtNetlink.Open();
        var devices = rtnl.GetLinks().Where(link => Made(link.Name)).ToList();
        foreach (var device in devices)
        {
            if (rtnl.TryGetLink(device.Name) is { } still) // deleting one end of a veth removes the other
                rtnl.DelLink(still.Index);
        }
        var namespaces = NetworkNamespace.ListNamed().Where(Made).ToList();
        foreach (var ns in namespaces)
            NetworkNamespace.Delete(ns);
        Assert.Empty(devices.Select(d => d.Name).Concat(namespaces));
    }
}
