namespace CpuMap.Managed.Elf.Btf;

/// <summary>An ARRAY's element type, index type and element count (struct btf_array).</summary>
public readonly record struct BtfArray(uint ElementType, uint IndexType, uint ElementCount);
