namespace CpuMap.Managed.Elf.Btf;

/// <summary>A struct or union member (struct btf_member). With the kind flag set the kernel packs
/// the bitfield size in the top 8 bits of the offset; <see cref="BitfieldSize"/> is 0 otherwise.</summary>
public readonly record struct BtfMember(string Name, uint Type, uint BitOffset, byte BitfieldSize);
