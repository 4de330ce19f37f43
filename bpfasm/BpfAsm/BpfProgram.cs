using System.Collections.Immutable;

namespace BpfAsm;

/// <summary>
/// A finished program: its instructions, the references a loader must bind (maps, globals, outside calls),
/// each instruction's metadata and its symbols (subprogram entry points). Made by <see cref="ProgramBuilder"/> and <see cref="Assembler"/>.
/// </summary>
public sealed class BpfProgram
{
    internal BpfProgram(ImmutableArray<Instruction> instructions, ImmutableArray<SymbolReference> references, ImmutableArray<ListingSymbol> symbols,
        ImmutableArray<SourceLine> sources = default)
    {
        Instructions = instructions;
        References = references;
        Symbols = symbols;
        SlotCount = Instruction.CountSlots(instructions.AsSpan());
        var metadata = new InstructionMetadata?[instructions.Length];
        if (!sources.IsDefaultOrEmpty)
            for (var i = 0; i < metadata.Length; i++)
                metadata[i] = new InstructionMetadata(Source: sources[i]);
        foreach (var reference in references)
            metadata[reference.Index] = (metadata[reference.Index] ?? new InstructionMetadata()) with { Reference = reference };
        Metadata = [.. metadata];
    }

    /// <summary>The instructions in order; a 64-bit immediate load is one entry that takes two slots.</summary>
    public ImmutableArray<Instruction> Instructions { get; }

    /// <summary>The instructions a loader must patch: map fds, map values, subprogram calls.</summary>
    public ImmutableArray<SymbolReference> References { get; }

    /// <summary>
    /// One entry per instruction of <see cref="Instructions"/>, null where there is none: its reference and, for
    /// programs from <see cref="ProgramBuilder"/>, the C# line that emitted it. What a loader links and binds.
    /// </summary>
    public ImmutableArray<InstructionMetadata?> Metadata { get; }

    /// <summary>Named entry points (the program's own name and subprograms), with byte offsets.</summary>
    public ImmutableArray<ListingSymbol> Symbols { get; }

    /// <summary>Instruction slots: what the kernel calls insn_cnt and what its verifier log counts.</summary>
    public int SlotCount { get; }

    /// <summary>The instructions in the kernel's 8-byte little-endian layout (references left as they are).</summary>
    public byte[] Encode() => Instruction.Encode(Instructions.AsSpan());

    /// <summary>The listing in llvm-objdump's text, with references shown as relocation lines when asked.</summary>
    public string Disassemble(DisassemblerOptions? options = null) =>
        Disassembler.Disassemble(Instructions.AsSpan(), options, Symbols,
            References.Select(r => new ListingRelocation(r.Slot * (long)Instruction.SlotSize, r.RelocationType, r.Name)).ToArray());

    /// <summary>The lossless listing: w registers for 32-bit memory access, no bytes, relocation lines.</summary>
    public override string ToString() =>
        Disassemble(new DisassemblerOptions { Alu32 = true, Lossless = true, ShowRawInstructions = false, ShowRelocations = true });
}
