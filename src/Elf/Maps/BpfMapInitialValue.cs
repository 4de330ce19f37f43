namespace CpuMap.Managed.Elf;

/// <summary>One initial slot of a PROG_ARRAY or map-in-map: key <see cref="Index"/> holds the
/// program or map named <see cref="Name"/>.</summary>
public readonly record struct BpfMapInitialValue(uint Index, string Name);
