namespace CpuMap.Managed.Elf;

/// <summary>ELF64_ST_TYPE: STT_NOTYPE, STT_OBJECT, STT_FUNC, STT_SECTION, STT_FILE.</summary>
public enum ElfSymbolType : byte
{
    /// <summary><c>STT_NOTYPE</c>: unspecified, e.g. a label or an extern.</summary>
    NoType = 0,
    /// <summary><c>STT_OBJECT</c>: a data object (a variable or map).</summary>
    Object = 1,
    /// <summary><c>STT_FUNC</c>: a function (a program or subprogram).</summary>
    Func = 2,
    /// <summary><c>STT_SECTION</c>: the section itself, for section-relative relocations.</summary>
    Section = 3,
    /// <summary><c>STT_FILE</c>: the source file name.</summary>
    File = 4,
}
