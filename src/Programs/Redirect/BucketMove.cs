namespace CpuMap.Managed.Programs.Redirect;

/// <summary>One bucket of the indirection table moved from one CPU to another, and the frames it had in the interval.</summary>
public readonly record struct BucketMove(int Bucket, int From, int To, ulong Packets)
{
    /// <inheritdoc/>
    public override string ToString() => $"bucket {Bucket} ({Packets} frames) CPU {From} -> CPU {To}";
}
