using System.Runtime.CompilerServices;
using BpfAsm;
using static BpfAsm.Register;

namespace BpfAsm.Tests;

/// <summary>The builder records the C# file and line of each emitting call, for the loader's line_info.</summary>
public sealed class SourceLineTests
{
    private static int Line([CallerLineNumber] int line = 0) => line;

    [Fact]
    public void Each_instruction_carries_the_file_and_line_of_the_call_that_emitted_it()
    {
        var p = new ProgramBuilder("lines");
        p.Mov(R0, 1); var mov = Line();
        p.LoadMapFd(R1, "counters"); var load = Line();
        p.Return(2); var ret = Line(); // two instructions, both this line's, not the builder's own

        var program = p.Build();
        Assert.Equal([mov, load, ret, ret], program.Metadata.Select(m => m!.Source!.Value.Line));
        Assert.All(program.Metadata, m => Assert.EndsWith(nameof(SourceLineTests) + ".cs", m!.Source!.Value.File));
        Assert.Equal(program.References.Single(), program.Metadata[1]!.Reference);
    }

    [Fact]
    public void An_assembled_program_has_references_but_no_source_lines()
    {
        var program = Assembler.Assemble("r1 = 0 ll\n0000000000000000:  R_BPF_64_64\tcounters\nexit");
        Assert.Null(program.Metadata[0]!.Source);
        Assert.Equal(ReferenceKind.Symbol64, program.Metadata[0]!.Reference!.Value.Kind);
        Assert.Null(program.Metadata[1]);
    }

    [Fact]
    public void A_source_line_given_by_hand_must_be_a_file_and_a_line_number()
    {
        var p = new ProgramBuilder();
        Assert.Equal("file", Assert.Throws<ArgumentNullException>(() => p.Emit(Instruction.Exit(), null!, 3)).ParamName);
        Assert.Equal("line", Assert.Throws<ArgumentOutOfRangeException>(() => p.Exit(line: -1)).ParamName);
        Assert.Equal(0, p.SlotCount);
        p.Exit("generated.cs", 7);
        Assert.Equal(new SourceLine("generated.cs", 7), p.Build().Metadata[0]!.Source);
    }

    [Theory]
    [InlineData(42, 5, (42u << 10) | 5)]
    [InlineData(42, 0, 42u << 10)]
    [InlineData(42, 1024, 42u << 10)] // a column past 10 bits is left out
    [InlineData(-1, 3, 0u)]
    [InlineData(1 << 22, 3, 0u)] // a line past 22 bits has no place
    public void Line_and_column_pack_as_the_kernel_reads_them(int line, int column, uint expected)
    {
        Assert.Equal(expected, LineInfo.PackLineCol(line, column));
        if (expected != 0)
            Assert.Equal((line, column < 1024 ? column : 0), (new LineInfo(0, 0, expected).Line, new LineInfo(0, 0, expected).Column));
    }
}
