namespace CpuMap.Managed.Testing;

/// <summary>The BPF fds this process holds, read from /proc/self/fd: a leak shows as a higher count.</summary>
public static class FdCount
{
    /// <summary>
    /// Counts after the finalizers of handles that earlier tests dropped have run, so that their late closes do not
    /// land between two counts. Tests that compare counts must still run alone (a non-parallel collection).
    /// </summary>
    public static int Bpf()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var count = 0;
        foreach (var fd in Directory.GetFiles("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("anon_inode:bpf", StringComparison.Ordinal))
                    count++;
            }
            catch (IOException)
            {
                // the fd closed while we looked (e.g. the directory enumeration's own)
            }
        }
        return count;
    }
}
