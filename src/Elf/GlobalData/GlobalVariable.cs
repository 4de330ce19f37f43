namespace CpuMap.Managed.Elf;

/// <summary>A variable in a global data section, so a loader can set it by name before loading.</summary>
/// <param name="Name">The symbol name.</param>
/// <param name="Offset">Byte offset in the section (from the ELF symbol, as the object's DATASEC offsets are 0).</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="BtfTypeId">The VAR's type in .BTF (e.g. a const volatile __u32), 0 without BTF.</param>
/// <param name="Binding">Global, or Local for static variables.</param>
public sealed record GlobalVariable(string Name, int Offset, int Size, uint BtfTypeId, ElfSymbolBinding Binding);
