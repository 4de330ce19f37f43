using System.Buffers.Binary;
using BpfAsm;
using CpuMap.Managed.Elf;
using static BpfAsm.Register;
using BpfProgram = CpuMap.Managed.Elf.BpfProgram;

namespace CpuMap.Managed.Loader.Tests;

/// <summary>The one linker, without a kernel: objects' and DSL programs' references, and metadata that moves with its instruction.</summary>
public sealed class ProgramLinkerTests
{
    private static readonly Func<string, Exception> Refuse = message => new InvalidOperationException(message);

    private static LinkedProgram LinkDsl(BpfAsm.BpfProgram program, Func<SymbolReference, int> mapFd) =>
        ProgramLinker.Link(LinkFunction.Of("dsl", program), mapFd, externs: null, Refuse);

    [Fact]
    public void Map_references_get_their_fds_and_pseudo_sources_by_name_or_by_object()
    {
        var counters = new object();
        var p = new ProgramBuilder("maps");
        p.LoadMapFd(R1, "cpus_iterator").LoadMapValue(R2, ".rodata", 6).LoadMapFd(R3, counters, "counters").LoadMapValue(R4, counters, 16, "counters").Return(0);
        var fds = new Dictionary<string, int> { ["cpus_iterator"] = 5, [".rodata"] = 6 };
        var linked = LinkDsl(p.Build(), r => r.Target == counters ? 9 : fds[r.Name]);

        Assert.Equal(
            [Instruction.LoadMapFd(R1, 5), Instruction.LoadMapValue(R2, 6, 6), Instruction.LoadMapFd(R3, 9), Instruction.LoadMapValue(R4, 9, 16)],
            linked.Instructions[..4]);
        Assert.Equal("ld_pseudo\tr2, 0x2, 0x6", Disassembler.Format(linked.Instructions[1]));
        Assert.Equal(p.Build().SlotCount, linked.SlotCount);
    }

    [Fact]
    public void A_reference_only_an_object_loader_resolves_is_refused_naming_it()
    {
        var assembled = Assembler.Assemble("r1 = 0 ll\n0000000000000000:  R_BPF_64_64\tcounters\nexit");
        var e = Assert.Throws<InvalidOperationException>(() => LinkDsl(assembled, _ => 3));
        Assert.Contains("instruction 0 refers to 'counters' by an ELF relocation (R_BPF_64_64)", e.Message);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void A_DSL_and_an_object_program_with_the_same_map_references_link_to_identical_bytes(string compiler)
    {
        var bpfObject = BpfObject.Load(Fixtures.PathOf(compiler, "round_robin"));
        var program = bpfObject.Programs.MaxBy(p => p.Relocations.Count)!; // the redirect program: maps and .rodata
        Assert.All(program.Relocations, r => Assert.True(r.Kind is BpfRelocationKind.MapReference or BpfRelocationKind.GlobalData));
        // The same instructions written with the DSL: its own map references where the object has relocations.
        var p = new ProgramBuilder(program.Name);
        for (var i = 0; i < program.Instructions.Length; i++)
        {
            var insn = program.Instructions[i];
            _ = program.Metadata[i]?.Reference switch
            {
                { Kind: ReferenceKind.MapFd } r => p.LoadMapFd(insn.Dst, r.Name),
                { Kind: ReferenceKind.MapValue } r => p.LoadMapValue(insn.Dst, r.Name, r.ValueOffset),
                _ => p.Emit(insn),
            };
        }
        var fds = new Dictionary<string, int> { ["cpus_iterator"] = 11, ["cpus_available"] = 12, ["cpu_map"] = 13, [".rodata"] = 14 };

        var fromObject = ProgramLinker.Link(bpfObject, program, name => fds[name]).Encode();
        var fromDsl = LinkDsl(p.Build(), r => fds[r.Name]).Encode();

        Assert.Equal(fromObject, fromDsl);
        Assert.NotEqual(Instruction.Encode(program.Instructions.AsSpan()), fromObject); // the fds went in
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Func_and_line_info_stay_on_their_instructions_when_subprograms_are_appended(string compiler)
    {
        var bpfObject = BpfObject.Load(Fixtures.PathOf(compiler, "subprograms"));
        foreach (var program in bpfObject.Programs)
        {
            var linked = ProgramLinker.Link(bpfObject, program, _ => 3);
            Assert.True(linked.Functions.Count >= 3, $"{program.Name} links {linked.Functions.Count} functions"); // the program, bump and plus_one or classify_length
            var (funcInfo, lineInfo) = ProgramBtf.Records(linked);
            Assert.Equal(linked.Functions.Select(f => (uint)f.Slot), Records(funcInfo, 8).Select(r => r[0]));

            var lines = Records(lineInfo, 16).ToDictionary(r => r[0]);
            var expected = 0;
            foreach (var function in linked.Functions)
            {
                var elf = Assert.IsType<BpfProgram>(function.Function);
                foreach (var line in bpfObject.BtfExt!.Find(elf.SectionName)!.LineInfos)
                    if (line.InsnOff >= elf.Offset && line.InsnOff < elf.Offset + elf.InstructionCount * 8)
                    {
                        var slot = (uint)(function.Slot + (line.InsnOff - elf.Offset) / 8);
                        Assert.Equal([slot, line.FileNameOff, line.LineOff, line.LineCol], lines[slot]);
                        expected++;
                    }
            }
            Assert.Equal(expected, lines.Count);
        }
    }

    private static IEnumerable<uint[]> Records(byte[] records, int size)
    {
        for (var at = 0; at < records.Length; at += size)
        {
            var fields = new uint[size / 4];
            for (var i = 0; i < fields.Length; i++)
                fields[i] = BinaryPrimitives.ReadUInt32LittleEndian(records.AsSpan(at + i * 4));
            yield return fields;
        }
    }
}
