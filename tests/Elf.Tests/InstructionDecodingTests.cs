using BpfAsm;
using CpuMap.Managed.Elf;
using CpuMap.Managed.Elf.Btf;
using BpfProgram = CpuMap.Managed.Elf.BpfProgram;

namespace CpuMap.Managed.Elf.Tests;

/// <summary>The reader decodes every function into bpfasm instructions, with each relocation and .BTF.ext record as metadata of its instruction.</summary>
public sealed class InstructionDecodingTests
{
    public static TheoryData<string> EveryFixtureObject()
    {
        var data = new TheoryData<string>();
        foreach (var compiler in Fixtures.Compilers)
            foreach (var name in Fixtures.All)
                data.Add(Fixtures.PathOf(compiler, name));
        foreach (var path in Fixtures.XdpToolsObjects())
            data.Add(path);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryFixtureObject))]
    public void Decoded_instructions_encode_back_to_the_section_bytes(string path)
    {
        BpfObject obj;
        try
        {
            obj = BpfObject.Load(path);
        }
        catch (BpfObjectException e) when (Fixtures.Invalid.Contains(Path.GetFileNameWithoutExtension(path)))
        {
            Assert.NotEmpty(e.Message); // an object made to be refused: nothing decoded to compare
            return;
        }
        var functions = obj.Programs.Concat(obj.Subprograms).ToList();
        Assert.NotEmpty(functions);
        foreach (var function in functions)
        {
            var original = obj.Sections[function.SectionIndex].Data.Slice(function.Offset, function.InstructionCount * Instruction.SlotSize);
            Assert.Equal(original.ToArray(), Instruction.Encode(function.Instructions.AsSpan()));
            Assert.Equal(function.Instructions.Length, function.Metadata.Length);
        }
    }

    [Theory]
    [MemberData(nameof(EveryFixtureObject))]
    public void Every_relocation_and_BTF_ext_record_is_metadata_of_its_instruction(string path)
    {
        if (Fixtures.Invalid.Contains(Path.GetFileNameWithoutExtension(path)))
            return;
        var obj = BpfObject.Load(path);
        foreach (var function in obj.Programs.Concat(obj.Subprograms))
        {
            var references = function.Metadata.Select(m => m?.Reference).OfType<SymbolReference>().ToList();
            Assert.Equal(function.Relocations.Select(r => (r.InstructionIndex, r.TargetName)), references.Select(r => (r.Slot, r.Name)));
            foreach (var reference in references)
                Assert.Equal(reference.Index, function.IndexOfSlot(reference.Slot));
            foreach (var call in references.Where(r => r.Kind is ReferenceKind.Subprogram or ReferenceKind.Callback))
                Assert.Equal(call.Name, Assert.IsType<BpfProgram>(call.Target).Name);

            var records = obj.BtfExt?.Find(function.SectionName);
            bool Inside(uint insnOff) => insnOff >= function.Offset && insnOff < function.Offset + function.InstructionCount * 8;
            Assert.Equal(records?.FuncInfos.Count(f => Inside(f.InsnOff)) ?? 0, function.Metadata.Count(m => m?.Func is not null));
            Assert.Equal(records?.LineInfos.Count(l => Inside(l.InsnOff)) ?? 0, function.Metadata.Count(m => m?.Line is not null));
            Assert.Equal(records?.CoreRelos.Count(c => Inside(c.InsnOff)) ?? 0, function.Metadata.Count(m => m?.CoreRelocation is not null));
            foreach (var line in records?.LineInfos.Where(l => Inside(l.InsnOff)) ?? [])
                Assert.Equal(new LineInfo(line.FileNameOff, line.LineOff, line.LineCol),
                    function.Metadata[function.IndexOfSlot((int)(line.InsnOff - function.Offset) / 8)]!.Line);
        }
    }

    [Fact]
    public void A_function_with_an_invalid_instruction_is_refused_naming_it()
    {
        var bytes = Fixtures.Bytes("clang19", "round_robin");
        var obj = BpfObject.Parse((byte[])bytes.Clone(), "round_robin.o");
        var program = obj.Programs[0];
        var section = obj.Sections[program.SectionIndex];
        bytes[section.Offset + (ulong)program.Offset] = 0xff; // no such opcode
        var e = Assert.Throws<BpfObjectException>(() => BpfObject.Parse(bytes, "round_robin.o"));
        Assert.Contains($"'{program.Name}' instruction 0 is not a valid eBPF instruction", e.Message);
        Assert.Contains(program.SectionName, e.Message);
    }
}
