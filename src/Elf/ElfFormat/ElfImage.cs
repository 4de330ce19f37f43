namespace CpuMap.Managed.Elf.ElfFormat;

/// <summary>
/// The ELF container of a BPF object: header, section headers (with sh_link/sh_info) and the
/// symbol table, read in one pass over the caller's bytes. Every offset, size and name offset is
/// checked before it is used, and each damage is a <see cref="BpfObjectException"/> naming the
/// section and offset; section bytes stay views of the caller's array.
/// <para>
/// Why not ELFSharp (the design first read the container with it, and DESIGN.md names it): it
/// exposes no sh_link/sh_info and no relocation tables, takes symbol names from the section called
/// .strtab rather than the one sh_link names, and trusts the file (a damaged object makes it throw
/// generic exceptions or read past the end). So every byte it would read had to be checked here
/// first, and it was a second parse of the same headers. Measured with ElfContainerBenchmarks on
/// round_robin.o (31 sections, 21 symbols), docs/elf.md has the numbers and the decision:
/// ELFSharp's load and walk alone cost more than this whole reader, which also validates.
/// </para>
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
        var symbolTable = FindSymbolTable(objectName, sections);
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

    /// <summary>An Elf64_Shdr as it is in the file, before its name is decoded.</summary>
    private readonly record struct RawSectionHeader(uint NameOffset, uint Type, ulong Flags, ulong Offset, ulong Size, uint Link, uint Info, ulong Alignment, ulong EntrySize);

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
        var version = reader.ReadUInt32();
        if (version != ElfConstants.EV_CURRENT)
            reader.Fail(20, $"e_version is {version}, not EV_CURRENT ({ElfConstants.EV_CURRENT}); the object is corrupt, rebuild it");
        reader.Position = 0x28;
        var shoff = reader.ReadUInt64();
        reader.Position = 0x38;
        var phnum = reader.ReadUInt16();
        // A relocatable object has no program headers; ELFSharp would read them from e_phoff.
        if (phnum != 0)
            reader.Fail(0x38, $"e_phnum is {phnum}, but a relocatable object (ET_REL) has no program headers; the object is corrupt, rebuild it");
        var shentsize = reader.ReadUInt16();
        var shnum = reader.ReadUInt16();
        var shstrndx = reader.ReadUInt16();
        if (shnum == 0 || shentsize != ElfConstants.SectionHeaderSize)
            reader.Fail(0x3a, $"the section header table has {shnum} entries of {shentsize} bytes; a BPF object needs sections of {ElfConstants.SectionHeaderSize} bytes; the object is corrupt, rebuild it");
        if (shoff > (ulong)bytes.Length || (ulong)shnum * ElfConstants.SectionHeaderSize > (ulong)bytes.Length - shoff)
            reader.Fail(0x28, $"the section header table ({shnum} entries at 0x{shoff:x}) runs past the end of the {bytes.Length}-byte file; the object is truncated, rebuild it");
        if (shstrndx >= shnum)
            reader.Fail(0x3e, $"the section name table index {shstrndx} is not below the section count {shnum}; the object is corrupt, rebuild it");
        if (shstrndx == ElfConstants.SHN_UNDEF)
            reader.Fail(0x3e, "e_shstrndx is 0: the object has no section name table, and a BPF loader finds maps and programs by section name; rebuild it");
        return new Header(shoff, shnum, shstrndx);
    }

    /// <summary>Reads every Elf64_Shdr, its name and its bytes. The name table is checked first, so
    /// that the other sections' errors can name them.</summary>
    private static ElfSection[] ReadSections(byte[] bytes, string objectName, Header header)
    {
        var table = new SpanReader(bytes, objectName, null);
        var raw = new RawSectionHeader[header.SectionCount];
        for (var i = 0; i < raw.Length; i++)
            raw[i] = ReadSectionHeader(header, i, ref table);
        var nameTable = raw[header.SectionNameTableIndex];
        CheckExtent(bytes, objectName, null, HeaderOffset(header, header.SectionNameTableIndex), nameTable);
        if (nameTable.Type != ElfConstants.SHT_STRTAB)
            table.Fail(0x3e, $"section {header.SectionNameTableIndex}, named by e_shstrndx, is not a string table (SHT_STRTAB); the object is corrupt, rebuild it");
        var names = Contents(bytes, nameTable).Span;
        var sections = new ElfSection[raw.Length];
        for (var i = 0; i < sections.Length; i++)
        {
            var r = raw[i];
            var name = StringTable.Read(names, r.NameOffset, objectName, null, HeaderOffset(header, i), NameTableLabel(header));
            CheckExtent(bytes, objectName, name, 0, r);
            sections[i] = new ElfSection(i, name, r.Type, r.Flags, r.Offset, r.Size, r.Link, r.Info, r.Alignment, r.EntrySize, Contents(bytes, r));
        }
        return sections;
    }

    private static RawSectionHeader ReadSectionHeader(Header header, int index, ref SpanReader table)
    {
        table.Position = HeaderOffset(header, index);
        var nameOffset = table.ReadUInt32();
        var type = table.ReadUInt32();
        var flags = table.ReadUInt64();
        _ = table.ReadUInt64(); // sh_addr: 0 in a relocatable object, and nothing here uses it
        var offset = table.ReadUInt64();
        var size = table.ReadUInt64();
        var link = table.ReadUInt32();
        var info = table.ReadUInt32();
        var alignment = table.ReadUInt64();
        var entrySize = table.ReadUInt64();
        return new RawSectionHeader(nameOffset, type, flags, offset, size, link, info, alignment, entrySize);
    }

    private static bool HasExtent(byte[] bytes, RawSectionHeader section) =>
        section.Type is ElfConstants.SHT_NOBITS or ElfConstants.SHT_NULL
        || (section.Offset <= (ulong)bytes.Length && section.Size <= (ulong)bytes.Length - section.Offset);

    private static void CheckExtent(byte[] bytes, string objectName, string? sectionName, long offset, RawSectionHeader section)
    {
        if (!HasExtent(bytes, section))
            BpfObjectException.Throw(objectName, sectionName, offset, $"the section's {section.Size} bytes at file offset 0x{section.Offset:x} run past the end of the {bytes.Length}-byte file; the object is truncated, rebuild it");
    }

    private static string NameTableLabel(Header header) => $"section name table (section {header.SectionNameTableIndex})";

    private static int HeaderOffset(Header header, int index) =>
        (int)header.SectionHeaderOffset + index * ElfConstants.SectionHeaderSize;

    /// <summary>The section's bytes; callers check <see cref="HasExtent"/> first.</summary>
    private static ReadOnlyMemory<byte> Contents(byte[] bytes, RawSectionHeader section) =>
        section.Type is ElfConstants.SHT_NOBITS or ElfConstants.SHT_NULL
            ? ReadOnlyMemory<byte>.Empty
            : new ReadOnlyMemory<byte>(bytes, (int)section.Offset, (int)section.Size);

    /// <summary>The one SHT_SYMTAB, or null if there is none.</summary>
    private static ElfSection? FindSymbolTable(string objectName, ElfSection[] sections)
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

    /// <summary>Every Elf64_Sym, with its name from the string table sh_link names (as libbpf and
    /// readelf read it) and its st_shndx checked against the section count.</summary>
    private static ElfSymbol[] ReadSymbols(string objectName, ElfSection[] sections, ElfSection symtab)
    {
        if (symtab.Size % ElfConstants.SymbolSize != 0)
            BpfObjectException.Throw(objectName, symtab.Name, 0, $"the symbol table's size {symtab.Size} is not a multiple of the {ElfConstants.SymbolSize}-byte Elf64_Sym; the object is corrupt, rebuild it");
        if (symtab.Link >= (uint)sections.Length || sections[symtab.Link].Type != ElfConstants.SHT_STRTAB)
            BpfObjectException.Throw(objectName, symtab.Name, 0, $"sh_link {symtab.Link} does not name a string table (SHT_STRTAB); the object is corrupt, rebuild it");
        var strtab = sections[symtab.Link];
        var strtabName = $"string table '{strtab.Name}'";
        var names = strtab.Data.Span;
        var reader = new SpanReader(symtab.Data.Span, objectName, symtab.Name);
        var symbols = new ElfSymbol[reader.Length / ElfConstants.SymbolSize];
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
            var name = StringTable.Read(names, nameOffset, objectName, symtab.Name, at, strtabName);
            var type = (ElfSymbolType)(info & 0xf);
            // Section symbols are nameless; readelf shows them by their section's name, and so do we.
            if (type == ElfSymbolType.Section && name.Length == 0 && sectionIndex < sections.Length)
                name = sections[sectionIndex].Name;
            symbols[i] = new ElfSymbol(i, name, value, size, (ElfSymbolBinding)(info >> 4), type, (ElfSymbolVisibility)(other & 3), sectionIndex);
        }
        return symbols;
    }
}
