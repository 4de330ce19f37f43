using System.Runtime.CompilerServices;

namespace CpuMap.Managed.Syscalls;

/// <summary>The program tag: <c>__u8 tag[BPF_TAG_SIZE]</c>, a hash of the instructions.</summary>
[InlineArray(8)]
public struct BpfProgTag
{
    private byte _first;

    /// <inheritdoc/>
    public override readonly string ToString() => Convert.ToHexStringLower((ReadOnlySpan<byte>)this);
}
