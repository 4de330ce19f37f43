namespace BpfAsm;

/// <summary>
/// Bytes that are not a valid eBPF instruction: a reserved opcode, a register above r10, a reserved
/// field that is not zero, or a 64-bit immediate load that is cut short or has a bad second slot.
/// Decoding throws this and nothing else, so a caller needs one catch.
/// </summary>
public sealed class InvalidInstructionException : FormatException
{
    /// <summary>Creates the error for <paramref name="reason"/> at slot <paramref name="instructionIndex"/>.</summary>
    public InvalidInstructionException(int instructionIndex, string reason)
        : base($"instruction {instructionIndex} (byte offset {instructionIndex * Instruction.SlotSize}): {reason}")
    {
        InstructionIndex = instructionIndex;
        Reason = reason;
    }

    /// <summary>The slot index of the bad instruction (the index the kernel's verifier log uses).</summary>
    public int InstructionIndex { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }
}
