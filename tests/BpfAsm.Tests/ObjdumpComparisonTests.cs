namespace BpfAsm.Tests;

/// <summary>
/// Our listing against the real llvm-objdump-19, line for line, and the assembler against llvm-mc: every
/// instruction form (hand-written .s files), thousands of random valid instructions, and every program
/// section of the clang-compiled fixture objects.
/// </summary>
public class ObjdumpComparisonTests
{
    public static TheoryData<string, bool> SourceFiles => new()
    {
        { "every_instruction.s", false },
        { "every_instruction.s", true },
        { "atomics32.s", true },
    };

    [Theory]
    [MemberData(nameof(SourceFiles))]
    public void Listing_of_every_instruction_form_equals_llvm_objdump(string file, bool alu32)
    {
        Llvm.Require();
        using var dir = new TempDir();
        var obj = Llvm.AssembleObject(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", file)), dir.Path);
        CompareSection(obj, ".text", dir.Path, alu32, relocations: false);
    }

    [Theory]
    [InlineData("every_instruction.s")]
    [InlineData("atomics32.s")]
    public void Assembler_reads_hand_written_llvm_syntax_as_llvm_mc_does(string file)
    {
        Llvm.Require();
        using var dir = new TempDir();
        var source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", file));
        var expected = Llvm.SectionBytes(Llvm.AssembleObject(source, dir.Path), [".text"], dir.Path)[".text"];
        Assert.Equal(expected, Assembler.Assemble(source, file).Encode());
    }

    [Fact]
    public void Listing_of_random_valid_instructions_equals_llvm_objdump()
    {
        Llvm.Require();
        // Thousands of instructions (2500 per style), in one llvm-mc + llvm-objdump run to keep the test fast.
        foreach (var alu32 in new[] { false, true })
        {
            var random = new Random(alu32 ? 9669 : 6918);
            var instructions = Enumerable.Range(0, 2500).Select(_ => RandomInstructions.Next(random))
                .Where(i => RandomInstructions.LlvmPrintsExactly(i, alu32)).ToArray();
            var bytes = Instruction.Encode(instructions);
            var source = "\t.text\n\t.globl f\nf:\n" + string.Concat(
                bytes.Chunk(8).Select(c => "\t.byte " + string.Join(',', c.Select(b => "0x" + b.ToString("x2"))) + "\n"));
            using var dir = new TempDir();
            var obj = Llvm.AssembleObject(source, dir.Path);
            CompareSection(obj, ".text", dir.Path, alu32, relocations: false);
        }
    }

    [Fact]
    public void Listing_of_every_fixture_program_section_equals_llvm_objdump()
    {
        Llvm.Require();
        var root = Path.Combine(Llvm.RepositoryRoot(), "tests", "fixtures", "obj");
        var objects = Directory.Exists(root) ? Directory.GetFiles(root, "*.o", SearchOption.AllDirectories).Order().ToArray() : [];
        if (objects.Length == 0)
            CpuMap.Managed.Testing.Kernel.Unavailable($"no compiled fixture objects under {root}: run the fixtures' build script");
        // Each tool runs once over all objects (objcopy once per object): process start-up dominates.
        var info = Llvm.ReadObjects(objects);
        var plain = Llvm.Disassembly(objects, alu32: false, relocations: false);
        var full = Llvm.Disassembly(objects, alu32: true, relocations: true);
        using var dir = new TempDir();
        var sections = 0;
        Parallel.ForEach(objects, obj =>
        {
            var bytes = Llvm.SectionBytes(obj, info[obj].ProgramSections, dir.Path);
            foreach (var section in info[obj].ProgramSections)
            {
                var relocs = info[obj].Relocations[section];
                CompareSection(plain[(obj, section)], bytes[section], relocs, $"{obj} section {section}", alu32: false, relocations: false);
                CompareSection(full[(obj, section)], bytes[section], relocs, $"{obj} section {section}", alu32: true, relocations: true);
                Interlocked.Increment(ref sections);
            }
        });
        TestContext.Current.TestOutputHelper?.WriteLine($"{sections} program sections in {objects.Length} objects");
        Assert.True(sections >= objects.Length, $"found only {sections} program sections in {objects.Length} objects");
    }

    private static void CompareSection(string obj, string section, string dir, bool alu32, bool relocations)
    {
        var info = Llvm.ReadObjects([obj])[obj];
        var expected = Llvm.Disassembly([obj], alu32, relocations)[(obj, section)];
        var bytes = Llvm.SectionBytes(obj, [section], dir)[section];
        CompareSection(expected, bytes, info.Relocations[section], $"{Path.GetFileName(obj)} section {section}", alu32, relocations);
    }

    /// <summary>
    /// Compares our listing of a section with llvm-objdump's, then assembles our listing and
    /// checks the bytes and relocations come back unchanged.
    /// </summary>
    private static void CompareSection(string[] expected, byte[] bytes, List<ListingRelocation> relocs, string name, bool alu32, bool relocations)
    {
        // The library lists what it is given: the ELF relocations llvm-readelf reports. CO-RE records come from .BTF.ext,
        // which `bpfasm dis` of an object adds (CliTests compares that whole listing with llvm-objdump's).
        expected = [.. expected.Where(line => !line.Contains("CO-RE <", StringComparison.Ordinal))];
        var options = new DisassemblerOptions { Alu32 = alu32, ShowRelocations = relocations };
        var listing = Disassembler.Disassemble(bytes, options, Llvm.Symbols(expected), relocs);
        var what = $"{name}{(alu32 ? " (alu32)" : "")}{(relocations ? " with relocations" : "")}";
        Llvm.AssertSameListing(expected, Llvm.Trim(listing.Split('\n')), what);

        // llvm's text drops a call's src_reg (and a relocated call needs its relocation line to be told from
        // a helper call), so the listing that must reassemble exactly is the lossless one with relocations.
        var lossless = Disassembler.Disassemble(bytes, options with { Lossless = true, ShowRelocations = true }, Llvm.Symbols(expected), relocs);
        var program = Assembler.Assemble(lossless, what);
        Assert.Equal(bytes, program.Encode());
            Assert.Equal(relocs.Select(r => (r.Offset, r.Type, r.Symbol)),
                program.References.Select(r => ((long)r.Slot * 8, r.RelocationType, r.Name)));
    }
}
