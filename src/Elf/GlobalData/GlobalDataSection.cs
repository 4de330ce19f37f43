namespace CpuMap.Managed.Elf;

/// <summary>A .rodata*, .data* or .bss* section: the initial value of the one-element array map
/// the loader creates for it, and the variables in it.</summary>
public sealed class GlobalDataSection
{
    internal GlobalDataSection(ElfSection section, GlobalDataKind kind, ReadOnlyMemory<byte> initialValue, IReadOnlyList<GlobalVariable> variables)
    {
        Name = section.Name;
        SectionIndex = section.Index;
        Kind = kind;
        InitialValue = initialValue;
        Variables = variables;
    }

    /// <summary>The section name, e.g. ".rodata" or ".data.custom".</summary>
    public string Name { get; }
    /// <summary>The section's ELF index; relocations against it name this section.</summary>
    public int SectionIndex { get; }
    /// <summary>Which of .rodata, .data or .bss the section is, which decides whether the map is frozen or zero-filled.</summary>
    public GlobalDataKind Kind { get; }

    /// <summary>The section's bytes; for .bss, zeros of the section's size.</summary>
    public ReadOnlyMemory<byte> InitialValue { get; }

    /// <summary>The map's value size: the section's size in bytes.</summary>
    public int Size => InitialValue.Length;

    /// <summary>The variables the section holds, from the symbol table and BTF DATASEC.</summary>
    public IReadOnlyList<GlobalVariable> Variables { get; }

    /// <summary>The variable called <paramref name="name"/>, or null.</summary>
    public GlobalVariable? FindVariable(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var variable in Variables)
            if (variable.Name == name)
                return variable;
        return null;
    }

    /// <summary>The name, kind, size and variable count, for messages.</summary>
    public override string ToString() => $"{Name} ({Kind}, {Size} bytes, {Variables.Count} variables)";
}
