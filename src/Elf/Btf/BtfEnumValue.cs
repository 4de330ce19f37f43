namespace CpuMap.Managed.Elf.Btf;

/// <summary>An enumerator of ENUM (struct btf_enum) or ENUM64 (struct btf_enum64). Unsigned
/// enumerators (kind flag clear) above long.MaxValue keep their bits.</summary>
public readonly record struct BtfEnumValue(string Name, long Value);
