namespace BpfAsm;

/// <summary>Points a jump or call at a target slot: shared by the builder and the assembler.</summary>
internal static class Jumps
{
    /// <summary>The instruction aimed at <paramref name="targetSlot"/>, or null with <paramref name="error"/> when the distance does not fit.</summary>
    public static Instruction? Retarget(Instruction insn, int fromSlot, int targetSlot, string label, out string? error)
    {
        // Offsets count from the instruction after the jump, in slots (a 64-bit load counts two).
        long delta = targetSlot - fromSlot - 1;
        error = null;
        // Calls, gotol and BPF_PSEUDO_FUNC loads (callbacks) hold the distance in imm.
        if (insn.IsCall || insn.IsLongJump || insn.IsWide)
            return insn.WithImm((int)delta);
        if (delta is >= short.MinValue and <= short.MaxValue)
            return insn.WithOffset((short)delta);
        error = $"label '{label}' is {delta} instructions away from instruction {fromSlot}, beyond the 16-bit jump offset (-32768..32767); "
            + (insn.Opcode == (byte)InstructionClass.Jmp
                ? $"use gotol (GotoLong) for a 32-bit offset"
                : "a conditional jump has only 16 bits: jump over a gotol to reach it");
        return null;
    }
}
