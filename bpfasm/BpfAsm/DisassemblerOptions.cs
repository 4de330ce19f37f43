namespace BpfAsm;

/// <summary>How <see cref="Disassembler"/> prints.</summary>
public sealed record DisassemblerOptions
{
    /// <summary>Plain <c>llvm-objdump-19 -d</c>: 32-bit loads, stores and atomic adds show r registers.</summary>
    public static DisassemblerOptions Default { get; } = new();

    /// <summary>
    /// Print w registers for 32-bit loads, stores and atomics, as <c>llvm-objdump --mattr=+alu32</c> does.
    /// Without it llvm cannot print some 32-bit atomics at all (<c>&lt;unknown&gt;</c>): those are always printed
    /// in this form, so the listing never loses an instruction.
    /// </summary>
    public bool Alu32 { get; init; }

    /// <summary>
    /// Print the few encodings whose llvm text drops bits in a form that keeps them (see <see cref="Disassembler"/>),
    /// so the listing always reassembles to the same bytes. Off, the text is exactly llvm-objdump's.
    /// </summary>
    public bool Lossless { get; init; }

    /// <summary>Print each instruction's bytes between its index and its text (llvm-objdump's default).</summary>
    public bool ShowRawInstructions { get; init; } = true;

    /// <summary>Print a relocation line under each relocated instruction, as <c>llvm-objdump -r</c> does.</summary>
    public bool ShowRelocations { get; init; }
}
