namespace BpfAsm.Tests;

/// <summary>Random valid instructions: random fields, biased towards the values opcodes use, kept when valid.</summary>
internal static class RandomInstructions
{
    private static readonly short[] Offsets = [0, 0, 0, 1, 8, 16, 32, -1, 0x7fff, short.MinValue];
    private static readonly int[] Immediates = [0, 0, 16, 32, 64, 1, -1, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1, 0x100, 0x110, int.MinValue, int.MaxValue];

    public static Instruction Next(Random random)
    {
        while (true)
        {
            var code = (byte)random.Next(256);
            var dst = random.Next(4) == 0 ? 0 : random.Next(Register.Count);
            var src = random.Next(3) == 0 ? 0 : random.Next(Register.Count);
            var off = random.Next(2) == 0 ? Offsets[random.Next(Offsets.Length)] : (short)random.Next(short.MinValue, short.MaxValue + 1);
            var imm = random.Next(2) == 0 ? Immediates[random.Next(Immediates.Length)] : random.Next(int.MinValue, int.MaxValue);
            var next = random.Next(2) == 0 ? 0 : random.Next(int.MinValue, int.MaxValue);
            if (code == Instruction.LdImm64Opcode && src > 6)
                src = random.Next(7);
            // A reserved combination: draw again.
            if (Instruction.TryCreate(code, dst, src, off, imm, code == Instruction.LdImm64Opcode ? next : 0, out var insn, out _))
                return insn;
        }
    }

    /// <summary>
    /// Whether llvm-objdump-19 can print this instruction: without --mattr=+alu32 it prints most 32-bit
    /// atomics as &lt;unknown&gt; or as the wrong operation, where we print the alu32 form.
    /// </summary>
    public static bool LlvmPrintsExactly(Instruction insn, bool alu32)
    {
        if (insn.Class == InstructionClass.Stx && insn.Imm is (int)AtomicOperation.LoadAcquire or (int)AtomicOperation.StoreRelease)
            return false; // Linux 6.15's acquire/release: llvm 20 prints them, llvm 19 does not know them
        if (insn.Class == InstructionClass.Stx && (insn.Opcode & 0xe0) == (int)MemoryMode.Atomic && (insn.Opcode & 0x18) == (int)MemorySize.W)
            return alu32 || insn.Imm == (int)AtomicOperation.Add;
        return true;
    }
}
