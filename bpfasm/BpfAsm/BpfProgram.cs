using System.Collections.Immutable;

namespace BpfAsm;

/// <summary>
/// A finished program: its instructions, the references a loader must bind (maps, globals, outside calls)
/// and its symbols (subprogram entry points). Made by <see cref="ProgramBuilder"/> and <see cref="Assembler"/>.
/// </summary>
public sealed class BpfProgram
{
    internal BpfProgram(ImmutableArray<Instruction> instructions, ImmutableArray<SymbolReference> references, ImmutableArray<ListingSymbol> symbols)
    {
        Instructions = instructions;
        References = references;
        Symbols = symbols;
        SlotCount = Instruction.CountSlots(instructions.AsSpan());
    }

    public ImmutableArray<Instruction> Instructions { get; }

    public ImmutableArray<SymbolReference> References { get; }

    /// <summary>Named entry points (the program's own name and subprograms), with byte offsets.</summary>
    public ImmutableArray<ListingSymbol> Symbols { get; }

    /// <summary>Instruction slots: what the kernel calls insn_cnt and what its verifier log counts.</summary>
    public int SlotCount { get; }

    /// <summary>The instructions in the kernel's 8-byte little-endian layout (references left as they are).</summary>
    public byte[] Encode() => Instruction.Encode(Instructions.AsSpan());

    /// <summary>
    /// The instructions with every map reference bound: <paramref name="mapFd"/> gives the fd for each
    /// <see cref="ReferenceKind.MapFd"/> or <see cref="ReferenceKind.MapValue"/> reference, which becomes a
    /// <c>BPF_PSEUDO_MAP_FD</c> / <c>BPF_PSEUDO_MAP_VALUE</c> load. Throws if a reference of another kind
    /// is left, since the kernel could not load it.
    /// </summary>
    public Instruction[] BindMaps(Func<SymbolReference, int> mapFd)
    {
        ArgumentNullException.ThrowIfNull(mapFd);
        var bound = Instructions.ToArray();
        foreach (var r in References)
        {
            var dst = bound[r.Index].Dst;
            bound[r.Index] = r.Kind switch
            {
                ReferenceKind.MapFd => Instruction.LoadMapFd(dst, mapFd(r)),
                ReferenceKind.MapValue => Instruction.LoadMapValue(dst, mapFd(r), r.ValueOffset),
                _ => throw new InvalidOperationException(
                    $"instruction {r.Slot} refers to '{r.Name}' by an ELF relocation ({r.RelocationType}), which only an object loader can resolve; BindMaps binds map references made with LoadMapFd/LoadMapValue"),
            };
        }
        return bound;
    }

    /// <summary>The listing in llvm-objdump's text, with references shown as relocation lines when asked.</summary>
    public string Disassemble(DisassemblerOptions? options = null) =>
        Disassembler.Disassemble(Instructions.AsSpan(), options, Symbols,
            References.Select(r => new ListingRelocation(r.Slot * (long)Instruction.SlotSize, r.RelocationType, r.Name)).ToArray());

    /// <summary>The lossless listing: w registers for 32-bit memory access, no bytes, relocation lines.</summary>
    public override string ToString() =>
        Disassemble(new DisassemblerOptions { Alu32 = true, Lossless = true, ShowRawInstructions = false, ShowRelocations = true });
}
