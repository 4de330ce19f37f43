using System.Text;
using CpuMap.Managed.Elf.Btf;
using CpuMap.Managed.Elf.ElfFormat;
using CpuMap.Managed.Elf.Externs;
using CpuMap.Managed.Elf.GlobalData;
using CpuMap.Managed.Elf.Maps;
using CpuMap.Managed.Elf.Programs;

namespace CpuMap.Managed.Elf;

/// <summary>
/// A clang-compiled BPF object (ELF, EM_BPF, relocatable), read without touching the kernel: its
/// maps, programs and subprograms with their relocations, global data, license and BTF. Any
/// problem with the file is one <see cref="BpfObjectException"/>.
/// </summary>
public sealed class BpfObject
{
    private BpfObject(string name, ElfImage image)
    {
        Name = name;
        Sections = image.Sections;
        Symbols = image.Symbols;
    }

    /// <summary>The object's name in messages: the file name, or what the caller passed to <see cref="Parse"/>.</summary>
    public string Name { get; }

    /// <summary>From the "license" section (up to its first NUL), or null if there is none.</summary>
    public string? License { get; private init; }

    /// <summary>From the 4-byte "version" section (LINUX_VERSION_CODE), or null if there is none.</summary>
    public uint? KernelVersion { get; private init; }

    /// <summary>The section headers in file order; index 0 is the null section.</summary>
    public IReadOnlyList<ElfSection> Sections { get; }

    /// <summary>The symbol table; index 0 is the null symbol.</summary>
    public IReadOnlyList<ElfSymbol> Symbols { get; }

    /// <summary>The .BTF types, or null if the object was compiled without -g.</summary>
    public BtfTypes? Btf { get; private init; }

    /// <summary>The .BTF.ext records (func_info, line_info, CO-RE relocations) of each executable
    /// section, or null if the object has none.</summary>
    public BtfExt? BtfExt { get; private init; }

    /// <summary>The raw .BTF section, as the loader fixes it up for BPF_BTF_LOAD; empty without BTF.</summary>
    public ReadOnlyMemory<byte> BtfBytes { get; private init; }

    /// <summary>BTF-defined (".maps") and legacy ("maps") maps, in declaration order.</summary>
    public IReadOnlyList<BpfMapDefinition> Maps { get; private init; } = [];

    /// <summary>Entry programs: the functions of every executable section except .text and .text.*, but for static
    /// ones that other functions call.</summary>
    public IReadOnlyList<BpfProgram> Programs { get; private init; } = [];

    /// <summary>The functions of .text and .text.*, and static functions of program sections that others call: reached
    /// from programs by BPF-to-BPF calls or as callbacks.</summary>
    public IReadOnlyList<BpfProgram> Subprograms { get; private init; } = [];

    /// <summary>The <c>__ksym</c> and <c>__kconfig</c> externs the object uses, which the loader resolves against the running kernel.</summary>
    public IReadOnlyList<BpfExtern> Externs { get; private init; } = [];

    /// <summary>.rodata*, .data* and .bss* sections.</summary>
    public IReadOnlyList<GlobalDataSection> GlobalData { get; private init; } = [];

    /// <summary>Reads the object file at <paramref name="path"/>.</summary>
    public static BpfObject Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new BpfObjectException(path, null, 0, $"cannot read the file: {e.Message}", e);
        }
        return Parse(bytes, Path.GetFileName(path));
    }

    /// <summary>Reads an object from <paramref name="bytes"/>, which it keeps (do not modify them
    /// afterwards: programs and global data are views of them). <paramref name="objectName"/>
    /// labels errors.</summary>
    public static BpfObject Parse(byte[] bytes, string objectName)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentException.ThrowIfNullOrEmpty(objectName);
        var image = ElfImage.Read(bytes, objectName);

        BtfTypes? btf = null;
        ElfSection? btfSection = null, btfExtSection = null;
        ElfSection? text = null, maps = null, legacyMaps = null, license = null, version = null;
        var globalData = new List<GlobalDataSection>();
        foreach (var section in image.Sections)
        {
            switch (section.Name)
            {
                case ".BTF" when section.Type == ElfConstants.SHT_PROGBITS:
                    btf = BtfTypes.Parse(section.Data.Span, objectName, section.Name);
                    btfSection = section;
                    continue;
                case ".BTF.ext" when section.Type == ElfConstants.SHT_PROGBITS:
                    btfExtSection = section;
                    continue;
                case ".text" when section.IsExecutable:
                    text = section;
                    continue;
                case ".maps":
                    maps = section;
                    continue;
                case "maps":
                    legacyMaps = section;
                    continue;
                case "license":
                    license = section;
                    continue;
                case "version":
                    version = section;
                    continue;
            }
        }
        foreach (var section in image.Sections)
            if (!section.IsExecutable && (section.Type is ElfConstants.SHT_PROGBITS or ElfConstants.SHT_NOBITS)
                && GlobalDataReader.Classify(section.Name) is { } kind)
                globalData.Add(GlobalDataReader.Read(image, section, kind, btf));

        var mapDefinitions = new List<BpfMapDefinition>();
        if (legacyMaps is not null)
            mapDefinitions.AddRange(LegacyMapReader.Read(image, legacyMaps));
        if (maps is not null)
            mapDefinitions.AddRange(BtfMapReader.Read(image, maps, btf));

        var externs = ExternReader.Read(image, btf);
        var targets = new ProgramReader.Targets(text, maps, legacyMaps, mapDefinitions, globalData.ToDictionary(d => d.SectionIndex), externs);
        var programs = new List<BpfProgram>();
        var subprograms = new List<BpfProgram>();
        var functions = new List<BpfProgram>();
        foreach (var section in image.Sections)
            if (section.IsExecutable && section.Type == ElfConstants.SHT_PROGBITS)
                functions.AddRange(ProgramReader.Read(image, section, targets));
        // A static function of a program section is a helper when something calls it or takes its address, else a
        // program of its own (cilium/ebpf loads such static programs; libbpf refuses them).
        var called = new HashSet<(string, long)>();
        foreach (var function in functions)
            foreach (var relocation in function.Relocations)
                if (relocation.Kind is BpfRelocationKind.SubprogramCall or BpfRelocationKind.SubprogramAddress)
                    called.Add((relocation.TargetSectionName, relocation.TargetOffset));
        foreach (var function in functions)
        {
            if (!function.IsSubprogram && function.Binding == ElfSymbolBinding.Local && called.Contains((function.SectionName, function.Offset)))
                function.IsSubprogram = true;
            (function.IsSubprogram ? subprograms : programs).Add(function);
        }

        BtfExt? btfExt = null;
        if (btfExtSection is not null)
        {
            if (btf is null)
                BpfObjectException.Throw(objectName, btfExtSection.Name, 0, "the object has .BTF.ext but no .BTF, whose strings and types its records refer to; the object is corrupt, rebuild it with clang -g");
            btfExt = BtfExt.Parse(btfExtSection.Data.Span, btf, name => ExecutableSize(image, name), objectName, btfExtSection.Name);
        }
        ProgramMetadataReader.Attach(functions, btfExt, objectName);

        if (maps is not null)
            foreach (var table in image.Sections)
                if (table.Type == ElfConstants.SHT_REL && table.Info == (uint)maps.Index)
                    MapInitialValueReader.Read(image, maps, table, mapDefinitions, programs);

        return new BpfObject(objectName, image)
        {
            Btf = btf,
            BtfBytes = btfSection?.Data ?? ReadOnlyMemory<byte>.Empty,
            BtfExt = btfExt,
            License = license is null ? null : ReadLicense(license),
            KernelVersion = version is null ? null : ReadVersion(image, version),
            Maps = mapDefinitions,
            Programs = programs,
            Subprograms = subprograms,
            GlobalData = globalData,
            Externs = [.. externs.Values],
        };
    }

    /// <summary>The map called <paramref name="name"/>.</summary>
    public BpfMapDefinition GetMap(string name) =>
        Find(Maps, Checked(name), m => m.Name) ?? throw new KeyNotFoundException($"{Name} has no map '{name}'; it has: {Names(Maps.Select(m => m.Name))}");

    /// <summary>The program (or subprogram) called <paramref name="name"/>.</summary>
    public BpfProgram GetProgram(string name) =>
        Find(Programs, Checked(name), p => p.Name) ?? Find(Subprograms, name, p => p.Name)
        ?? throw new KeyNotFoundException($"{Name} has no program '{name}'; it has: {Names(Programs.Concat(Subprograms).Select(p => p.Name))}");

    /// <summary>The global data section called <paramref name="name"/> (".rodata", ".bss"...).</summary>
    public GlobalDataSection GetGlobalData(string name) =>
        Find(GlobalData, Checked(name), d => d.Name) ?? throw new KeyNotFoundException($"{Name} has no global data section '{name}'; it has: {Names(GlobalData.Select(d => d.Name))}");

    /// <summary>The global variable called <paramref name="name"/> and the section it is in.</summary>
    public (GlobalDataSection Section, GlobalVariable Variable) GetVariable(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var section in GlobalData)
            if (section.FindVariable(name) is { } variable)
                return (section, variable);
        throw new KeyNotFoundException($"{Name} has no global variable '{name}'; it has: {Names(GlobalData.SelectMany(d => d.Variables).Select(v => v.Name))}");
    }

    private static T? Find<T>(IReadOnlyList<T> items, string name, Func<T, string> nameOf) where T : class
    {
        foreach (var item in items)
            if (nameOf(item) == name)
                return item;
        return null;
    }

    private static string Checked(string name, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(name))] string? parameter = null) =>
        name ?? throw new ArgumentNullException(parameter);

    private static string Names(IEnumerable<string> names)
    {
        var list = string.Join(", ", names);
        return list.Length == 0 ? "(none)" : list;
    }

    private static ulong? ExecutableSize(ElfImage image, string name)
    {
        foreach (var section in image.Sections)
            if (section.Name == name && section.IsExecutable && section.Type == ElfConstants.SHT_PROGBITS)
                return section.Size;
        return null;
    }

    private static string ReadLicense(ElfSection section)
    {
        var data = section.Data.Span;
        var end = data.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? data : data[..end]);
    }

    private static uint ReadVersion(ElfImage image, ElfSection section)
    {
        if (section.Data.Length != 4)
            BpfObjectException.Throw(image.ObjectName, section.Name, 0, $"the section is {section.Data.Length} bytes; it must hold one 4-byte kernel version (LINUX_VERSION_CODE)");
        return new SpanReader(section.Data.Span, image.ObjectName, section.Name).ReadUInt32();
    }
}
