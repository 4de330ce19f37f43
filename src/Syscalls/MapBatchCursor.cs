namespace CpuMap.Managed.Syscalls;

/// <summary>
/// Where a BPF_MAP_LOOKUP_BATCH walk stands: the kernel's opaque out_batch token, fed back as
/// in_batch. Start from <c>default</c>; the walk is over when <see cref="Done"/> is true.
/// </summary>
public struct MapBatchCursor
{
    /// <summary>
    /// The token: a bucket number for hash maps, a key for array maps (4 bytes), so 8 bytes hold
    /// every map type that has batch operations.
    /// </summary>
    internal ulong Token;

    /// <summary>Whether a batch has been read (then <see cref="Token"/> is valid).</summary>
    internal bool Started;

    /// <summary>The kernel has returned the last elements.</summary>
    public bool Done { get; internal set; }
}
