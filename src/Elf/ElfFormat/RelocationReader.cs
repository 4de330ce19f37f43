namespace CpuMap.Managed.Elf.ElfFormat;

/// <summary>Walks an SHT_REL table (Elf64_Rel records: r_offset, r_info) without allocating.</summary>
internal ref struct RelocationReader
{
    private SpanReader _reader;

    public RelocationReader(ElfSection table, ElfImage image)
    {
        var objectName = image.ObjectName;
        if (table.Type != ElfConstants.SHT_REL)
            BpfObjectException.Throw(objectName, table.Name, 0, $"section type {table.Type} is not SHT_REL ({ElfConstants.SHT_REL}); BPF objects carry Elf64_Rel tables only, rebuild the object with clang -target bpf");
        if (table.Size % ElfConstants.RelocationSize != 0)
            BpfObjectException.Throw(objectName, table.Name, 0, $"the table's size {table.Size} is not a multiple of the {ElfConstants.RelocationSize}-byte Elf64_Rel; the object is corrupt, rebuild it");
        if (image.SymbolTable is null || table.Link != (uint)image.SymbolTable.Index)
            BpfObjectException.Throw(objectName, table.Name, 0, image.SymbolTable is null
                ? "a relocation table in an object without a symbol table (.symtab); the object was stripped or is corrupt, rebuild it without stripping"
                : $"sh_link {table.Link} is not the symbol table (section {image.SymbolTable.Index}); the object is corrupt, rebuild it");
        _reader = new SpanReader(table.Data.Span, objectName, table.Name);
    }

    /// <summary>Offset of the record <see cref="TryRead"/> returned last, for error messages.</summary>
    public int RecordOffset { get; private set; }

    public bool TryRead(out ElfRelocation relocation)
    {
        if (_reader.Remaining < ElfConstants.RelocationSize)
        {
            relocation = default;
            return false;
        }
        RecordOffset = _reader.Position;
        var offset = _reader.ReadUInt64();
        var info = _reader.ReadUInt64();
        relocation = new ElfRelocation(offset, (uint)(info >> 32), (BpfRelocationType)(uint)info);
        return true;
    }
}
