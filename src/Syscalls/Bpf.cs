using System.Runtime.CompilerServices;

namespace CpuMap.Managed.Syscalls;

/// <summary>
/// The bpf(2) commands, one method per command, named as the kernel names them. Failures throw
/// <see cref="BpfException"/>; "not found" answers of lookups and walks are results, not errors.
/// </summary>
/// <example>
/// <code>
/// using var map = Bpf.MapCreate(BpfMapType.Array, keySize: 4, valueSize: 8, maxEntries: 4, name: "counters");
/// Bpf.MapUpdateElem(map, 1u, 42ul);
/// if (Bpf.MapLookupElem(map, 1u, out ulong value)) { /* value == 42 */ }
/// </code>
/// </example>
public static unsafe partial class Bpf
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint RoundUp8(uint size) => (size + 7) & ~7u;
}
