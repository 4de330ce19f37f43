namespace CpuMap.Managed.Elf;

/// <summary>One Elf64_Sym, decoded. <see cref="SectionIndex"/> is st_shndx (0 = undefined,
/// i.e. an extern).</summary>
public sealed record ElfSymbol(
    int Index,
    string Name,
    ulong Value,
    ulong Size,
    ElfSymbolBinding Binding,
    ElfSymbolType Type,
    ElfSymbolVisibility Visibility,
    ushort SectionIndex)
{
    /// <summary>Whether st_shndx is SHN_UNDEF: an extern the loader must resolve (a kconfig value, ksym or kfunc).</summary>
    public bool IsUndefined => SectionIndex == ElfConstants.SHN_UNDEF;
}
