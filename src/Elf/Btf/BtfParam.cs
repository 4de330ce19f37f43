namespace CpuMap.Managed.Elf.Btf;

/// <summary>A FUNC_PROTO parameter (struct btf_param). Type 0 as the last one means "...".</summary>
public readonly record struct BtfParam(string Name, uint Type);
