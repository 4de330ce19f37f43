namespace CpuMap.Managed.Elf.ElfFormat;

/// <summary>
/// The ELF container of a BPF object: header, section headers (with sh_link/sh_info) and the
/// symbol table, decoded and bounds-checked by hand so that every damage gets a message naming
/// the section and offset. (ELFSharp was measured as a second reader: it added 93 µs to a 160 µs
/// parse of the round-robin object, failed on damaged symbol tables with generic exceptions, and
/// exposes neither sh_link/sh_info nor relocations, so the reader does not use it.)
/// </summary>
internal sealed class ElfImage
{
    private ElfImage(string objectName, ElfSection[] sections, ElfSymbol[] symbols, ElfSection? symbolTable)
    {
        ObjectName = objectName;
        Sections = sections;
        Symbols = symbols;
        SymbolTable = symbolTable;
    }

    public string ObjectName { get; }
    public ElfSection[] Sections { get; }
    public ElfSymbol[] Symbols { get; }
    public ElfSection? SymbolTable { get; }

    public static ElfImage Read(byte[] bytes, string objectName)
    {
        var header = ReadHeader(bytes, objectName);
        var sections = ReadSections(bytes, objectName, header);
        var symbolTable = FindSymbolTable(sections, objectName);
        var symbols = symbolTable is null ? [] : ReadSymbols(objectName, sections, symbolTable);
        return new ElfImage(objectName, sections, symbols, symbolTable);
    }

    /// <summary>A symbol by index, or a <see cref="BpfObjectException"/> naming who referred to it.</summary>
    public ElfSymbol Symbol(uint index, string referrer, long offset)
    {
        if (index == 0 || index >= (uint)Symbols.Length)
            BpfObjectException.Throw(ObjectName, referrer, offset, $"relocation refers to symbol {index}, but the symbol table '{SymbolTable?.Name ?? ".symtab"}' has entries 1..{Symbols.Length - 1}; the object is corrupt, rebuild it");
        return Symbols[index];
    }

    private readonly record struct Header(ulong SectionHeaderOffset, ushort SectionCount, ushort SectionNameTableIndex);

    private static Header ReadHeader(byte[] bytes, string objectName)
    {
        var reader = new SpanReader(bytes, objectName, null);
        if (bytes.Length < ElfConstants.HeaderSize)
            reader.Fail(0, $"the file is {bytes.Length} bytes, shorter than an ELF header ({ElfConstants.HeaderSize} bytes); it is truncated or not an object file, build it with clang -target bpf -c");
        if (bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            reader.Fail(0, "not an ELF file (no \\x7fELF magic); give a BPF object built with clang -target bpf -c");
        if (bytes[4] != ElfConstants.ELFCLASS64)
            reader.Fail(4, $"ELF class {bytes[4]} is not ELFCLASS64 (2); BPF objects are 64-bit, build with clang -target bpf");
        if (bytes[5] != ElfConstants.ELFDATA2LSB)
            reader.Fail(5, $"ELF data encoding {bytes[5]} is not little-endian (ELFDATA2LSB, 1); build with -target bpf or bpfel, not bpfeb");
        reader.Position = 16;
        var type = reader.ReadUInt16();
        var machine = reader.ReadUInt16();
        if (machine != ElfConstants.EM_BPF)
            reader.Fail(18, $"e_machine is {machine}, not EM_BPF ({ElfConstants.EM_BPF}); this is an object for another CPU, build it with clang -target bpf");
        if (type != ElfConstants.ET_REL)
            reader.Fail(16, $"e_type is {type}, not ET_REL ({ElfConstants.ET_REL}); give the relocatable object from clang -c, not a linked file");
        reader.Position = 0x28;
        var shoff = reader.ReadUInt64();
        reader.Position = 0x3a;
        var shentsize = reader.ReadUInt16();
        var shnum = reader.ReadUInt16();
        var shstrndx = reader.ReadUInt16();
        if (shnum == 0 || shentsize != ElfConstants.SectionHeaderSize)
            reader.Fail(0x3a, $"the section header table has {shnum} entries of {shentsize} bytes; a BPF object needs sections of {ElfConstants.SectionHeaderSize} bytes; the object is corrupt, rebuild it");
        if (shoff > (ulong)bytes.Length || (ulong)shnum * ElfConstants.SectionHeaderSize > (ulong)bytes.Length - shoff)
            reader.Fail(0x28, $"the section header table ({shnum} entries at 0x{shoff:x}) runs past the end of the {bytes.Length}-byte file; the object is truncated, rebuild it");
        if (shstrndx >= shnum)
            reader.Fail(0x3e, $"the section name table index {shstrndx} is not below the section count {shnum}; the object is corrupt, rebuild it");
        return new Header(shoff, shnum, shstrndx);
    }

    private static ElfSection[] ReadSections(byte[] bytes, string objectName, Header header)
    {
        var table = new SpanReader(bytes, objectName, null);
        var nameTable = ReadSectionHeader(bytes, objectName, header, header.SectionNameTableIndex, null, ref table);
        if (nameTable.Type != ElfConstants.SHT_STRTAB)
            table.Fail(0x3e, $"section {header.SectionNameTableIndex}, named by e_shstrndx, is not a string table (SHT_STRTAB); the object is corrupt, rebuild it");
        var sections = new ElfSection[header.SectionCount];
        for (var i = 0; i < sections.Length; i++)
            sections[i] = ReadSectionHeader(bytes, objectName, header, i, nameTable, ref table);
        return sections;
    }

    /// <summary>One Elf64_Shdr. Without <paramref name="nameTable"/> (while looking for it) the
    /// section stays nameless.</summary>
    private static ElfSection ReadSectionHeader(byte[] bytes, string objectName, Header header, int index, ElfSection? nameTable, ref SpanReader table)
    {
        var at = (int)header.SectionHeaderOffset + index * ElfConstants.SectionHeaderSize;
        table.Position = at;
        var nameOffset = table.ReadUInt32();
        var name = nameTable is null ? "" : StringTable.Read(nameTable, nameOffset, objectName, nameTable.Name, at);
        var type = table.ReadUInt32();
        var flags = table.ReadUInt64();
        table.ReadUInt64(); // sh_addr: always 0 in a relocatable object
        var offset = table.ReadUInt64();
        var size = table.ReadUInt64();
        var link = table.ReadUInt32();
        var info = table.ReadUInt32();
        var alignment = table.ReadUInt64();
        var entrySize = table.ReadUInt64();
        var data = ReadOnlyMemory<byte>.Empty;
        if (type != ElfConstants.SHT_NOBITS && type != ElfConstants.SHT_NULL)
        {
            if (offset > (ulong)bytes.Length || size > (ulong)bytes.Length - offset)
                BpfObjectException.Throw(objectName, nameTable is null ? null : name, nameTable is null ? at : 0, $"the section's {size} bytes at file offset 0x{offset:x} run past the end of the {bytes.Length}-byte file; the object is truncated, rebuild it");
            data = new ReadOnlyMemory<byte>(bytes, (int)offset, (int)size);
        }
        return new ElfSection(index, name, type, flags, offset, size, link, info, alignment, entrySize, data);
    }

    private static ElfSection? FindSymbolTable(ElfSection[] sections, string objectName)
    {
        ElfSection? found = null;
        foreach (var section in sections)
        {
            if (section.Type != ElfConstants.SHT_SYMTAB)
                continue;
            if (found is not null)
                BpfObjectException.Throw(objectName, section.Name, 0, $"a second symbol table (the first is '{found.Name}'); a BPF object has exactly one, rebuild it");
            found = section;
        }
        return found;
    }

    private static ElfSymbol[] ReadSymbols(string objectName, ElfSection[] sections, ElfSection symtab)
    {
        if (symtab.Size % ElfConstants.SymbolSize != 0)
            BpfObjectException.Throw(objectName, symtab.Name, 0, $"the symbol table's size {symtab.Size} is not a multiple of the {ElfConstants.SymbolSize}-byte Elf64_Sym; the object is corrupt, rebuild it");
        if (symtab.Link >= (uint)sections.Length || sections[symtab.Link].Type != ElfConstants.SHT_STRTAB)
            BpfObjectException.Throw(objectName, symtab.Name, 0, $"sh_link {symtab.Link} does not name a string table (SHT_STRTAB); the object is corrupt, rebuild it");
        var strtab = sections[symtab.Link];
        var reader = new SpanReader(symtab.Data.Span, objectName, symtab.Name);
        var symbols = new ElfSymbol[symtab.Data.Length / ElfConstants.SymbolSize];
        for (var i = 0; i < symbols.Length; i++)
        {
            var at = reader.Position;
            var nameOffset = reader.ReadUInt32();
            var info = reader.ReadByte();
            var other = reader.ReadByte();
            var sectionIndex = reader.ReadUInt16();
            var value = reader.ReadUInt64();
            var size = reader.ReadUInt64();
            if (sectionIndex >= sections.Length && sectionIndex < ElfConstants.SHN_LORESERVE)
                reader.Fail(at + 6, $"symbol {i} has st_shndx {sectionIndex}, but the object has {sections.Length} sections; the object is corrupt, rebuild it");
            var type = (ElfSymbolType)(info & 0xf);
            var name = StringTable.Read(strtab, nameOffset, objectName, symtab.Name, at);
            // Section symbols are nameless; readelf shows them by their section's name, and so do we.
            if (type == ElfSymbolType.Section && name.Length == 0 && sectionIndex < sections.Length)
                name = sections[sectionIndex].Name;
            symbols[i] = new ElfSymbol(i, name, value, size, (ElfSymbolBinding)(info >> 4), type, (ElfSymbolVisibility)(other & 3), sectionIndex);
        }
        return symbols;
    }
}
