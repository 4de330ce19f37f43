namespace CpuMap.Managed.Syscalls;

/// <summary>
/// Tells a map fd from a program or link fd before its info is read: bpf_obj_get_info_by_fd
/// fills whichever info struct belongs to the fd, so reading the wrong kind gives garbage.
/// The kernel names the fd's anonymous inode after the kind.
/// </summary>
internal static class BpfObjectKinds
{
    internal static int Expect(int fd, BpfObjectKind expected, string what)
    {
        string? target = null;
        try
        {
            target = new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
        }
        catch (IOException)
        {
        }
        var actual = target switch
        {
            "anon_inode:bpf-map" => BpfObjectKind.Map,
            "anon_inode:bpf-prog" => BpfObjectKind.Prog,
            "anon_inode:bpf-link" => BpfObjectKind.Link,
            _ => (BpfObjectKind?)null,
        };
        if (actual == expected || (actual is null && target is null))
            return fd; // without /proc there is nothing to check against
        Interop.Close(fd);
        throw new BpfOperationException("open BPF object", actual is { } kind
            ? $"{Capitalized(what)} is a BPF {Name(kind)}, not a BPF {Name(expected)}: open it with the method for a {Name(kind)}."
            : $"{Capitalized(what)} is '{target}', not a BPF {Name(expected)}.");
    }

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private static string Name(BpfObjectKind kind) => kind switch
    {
        BpfObjectKind.Map => "map",
        BpfObjectKind.Prog => "program",
        _ => "link",
    };
}
