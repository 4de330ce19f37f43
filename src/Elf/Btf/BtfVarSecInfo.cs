namespace CpuMap.Managed.Elf.Btf;

/// <summary>A DATASEC entry (struct btf_var_secinfo). In a clang object Offset and Size are 0:
/// libbpf fixes them from the ELF symbols at load, and so does this reader where it needs them.</summary>
public readonly record struct BtfVarSecInfo(uint Type, uint Offset, uint Size);
