using BpfRelocationType = BpfAsm.BpfRelocationType;
using System.Text.Json;

namespace CpuMap.Managed.Elf.Tests;

/// <summary>Checks the ELF layer against llvm-readelf-19's JSON view of the same file: every
/// section header (sh_link and sh_info included), every symbol, and every instruction relocation.</summary>
public class ReadelfCrossCheckTests
{
    [Theory]
    [MemberData(nameof(ElfFixtures.AllValidObjects), MemberType = typeof(ElfFixtures))]
    public void Sections_symbols_and_relocations_match_llvm_readelf(string path)
    {
        var json = Tools.Run("llvm-readelf-19", "--elf-output-style=JSON", "-S", "-s", "-r", path);
        var file = JsonDocument.Parse(json).RootElement[0];
        var obj = BpfObject.Load(path);

        var sections = file.GetProperty("Sections").EnumerateArray().Select(s => s.GetProperty("Section")).ToList();
        Assert.Equal(sections.Count, obj.Sections.Count);
        foreach (var expected in sections)
        {
            var actual = obj.Sections[expected.GetProperty("Index").GetInt32()];
            Assert.Equal(expected.GetProperty("Name").GetProperty("Name").GetString(), actual.Name);
            Assert.Equal(expected.GetProperty("Type").GetProperty("Value").GetUInt32(), actual.Type);
            Assert.Equal(expected.GetProperty("Flags").GetProperty("Value").GetUInt64(), actual.Flags);
            Assert.Equal(expected.GetProperty("Offset").GetUInt64(), actual.Offset);
            Assert.Equal(expected.GetProperty("Size").GetUInt64(), actual.Size);
            Assert.Equal(expected.GetProperty("Link").GetUInt32(), actual.Link);
            Assert.Equal(expected.GetProperty("Info").GetUInt32(), actual.Info);
            Assert.Equal(expected.GetProperty("EntrySize").GetUInt64(), actual.EntrySize);
            Assert.Equal(expected.GetProperty("AddressAlignment").GetUInt64(), actual.Alignment);
        }

        var symbols = file.GetProperty("Symbols").EnumerateArray().Select(s => s.GetProperty("Symbol")).ToList();
        Assert.Equal(symbols.Count, obj.Symbols.Count);
        for (var i = 0; i < symbols.Count; i++)
        {
            var expected = symbols[i];
            var actual = obj.Symbols[i];
            if (actual.Type != ElfSymbolType.Section)
                Assert.Equal(expected.GetProperty("Name").GetProperty("Name").GetString(), actual.Name);
            Assert.Equal(expected.GetProperty("Value").GetUInt64(), actual.Value);
            Assert.Equal(expected.GetProperty("Size").GetUInt64(), actual.Size);
            Assert.Equal(expected.GetProperty("Binding").GetProperty("Value").GetInt32(), (int)actual.Binding);
            Assert.Equal(expected.GetProperty("Type").GetProperty("Value").GetInt32(), (int)actual.Type);
            Assert.Equal(expected.GetProperty("Section").GetProperty("Value").GetInt32(), actual.SectionIndex);
            Assert.Equal(expected.GetProperty("Other").GetProperty("Value").GetInt32() & 3, (int)actual.Visibility);
        }

        // Every function symbol is a program or subprogram of the same place and size.
        var functions = obj.Symbols.Where(s => s.Type == ElfSymbolType.Func).ToList();
        var programs = obj.Programs.Concat(obj.Subprograms).ToList();
        Assert.Equal(functions.Count, programs.Count);
        foreach (var function in functions)
        {
            var program = Assert.Single(programs, p => p.Name == function.Name && p.SectionIndex == function.SectionIndex);
            Assert.Equal(function.Value, (ulong)program.Offset);
            Assert.Equal(function.Size, (ulong)program.InstructionCount * 8);
            Assert.Equal(obj.Sections[function.SectionIndex].Name, program.SectionName);
            // .text and .text.* hold subprograms; elsewhere a global function is a program, and a static one a
            // subprogram only when something calls it or takes its address (the relocations, checked below).
            var section = obj.Sections[function.SectionIndex].Name;
            var called = programs.SelectMany(p => p.Relocations)
                .Any(r => r.Kind is BpfRelocationKind.SubprogramCall or BpfRelocationKind.SubprogramAddress && r.TargetSectionName == section && r.TargetOffset == (long)function.Value);
            Assert.Equal(section == ".text" || section.StartsWith(".text.", StringComparison.Ordinal) || (function.Binding == ElfSymbolBinding.Local && called),
                program.IsSubprogram);
        }

        // Every relocation of an executable section is one program relocation, same place, type and
        // symbol (the reader adds R_BPF_NONE ones for calls the compiler resolved in place).
        foreach (var table in file.GetProperty("Relocations").EnumerateArray())
        {
            var rel = obj.Sections[table.GetProperty("SectionIndex").GetInt32()];
            var target = obj.Sections[(int)rel.Info];
            if (!target.IsExecutable)
                continue;
            var expected = table.GetProperty("Relocs").EnumerateArray().Select(r => r.GetProperty("Relocation"))
                .Select(r => (Offset: r.GetProperty("Offset").GetInt64(), Type: r.GetProperty("Type").GetProperty("Value").GetUInt32(), Symbol: r.GetProperty("Symbol").GetProperty("Value").GetInt32()))
                .OrderBy(r => r.Offset).ToList();
            var actual = programs.Where(p => p.SectionIndex == target.Index)
                .SelectMany(p => p.Relocations.Where(r => r.Type != BpfRelocationType.R_BPF_NONE).Select(r => (Offset: (long)(p.Offset + r.Offset), Type: (uint)r.Type, Symbol: r.Symbol.Index)))
                .OrderBy(r => r.Offset).ToList();
            Assert.Equal(expected, actual);
        }
    }
}
