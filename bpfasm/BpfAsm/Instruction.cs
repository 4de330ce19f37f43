using System.Buffers.Binary;

namespace BpfAsm;

/// <summary>
/// One eBPF instruction, <c>struct bpf_insn</c>: opcode, dst_reg, src_reg, off, imm. The 64-bit immediate
/// load (<c>BPF_LD | BPF_IMM | BPF_DW</c>) is ONE value here that holds all 64 bits in <see cref="Imm64"/>
/// and takes two slots when encoded (<see cref="Slots"/>); there is no way to make half of one.
/// Values are valid by construction: the factories and <see cref="Create"/> reject reserved encodings.
/// </summary>
public readonly partial struct Instruction : IEquatable<Instruction>
{
    /// <summary>Bytes in one instruction slot.</summary>
    public const int SlotSize = 8;

    /// <summary><c>BPF_LD | BPF_IMM | BPF_DW</c>.</summary>
    public const byte LdImm64Opcode = 0x18;

    /// <summary><c>BPF_JMP | BPF_CALL</c>.</summary>
    public const byte CallOpcode = (byte)InstructionClass.Jmp | (byte)JumpOperation.Call;

    private readonly long _imm;
    private readonly short _offset;
    private readonly byte _opcode;
    private readonly byte _registers; // dst in the low nibble, src in the high one, as in struct bpf_insn

    private Instruction(byte opcode, int dst, int src, short offset, long imm)
    {
        _opcode = opcode;
        _registers = (byte)(dst | (src << 4));
        _offset = offset;
        _imm = imm;
    }

    /// <summary>
    /// An instruction from its raw fields; throws <see cref="ArgumentException"/> naming the field when the
    /// combination is reserved. For the 64-bit immediate load pass <paramref name="imm"/> (low half) and
    /// <paramref name="nextImm"/> (the second slot's imm, the high half).
    /// </summary>
    public static Instruction Create(byte opcode, int dst, int src, short offset, int imm, int nextImm = 0) =>
        TryCreate(opcode, dst, src, offset, imm, nextImm, out var instruction, out var error)
            ? instruction
            : throw new ArgumentException(error, nameof(opcode));

    /// <summary>As <see cref="Create"/>, but returns false with the reason instead of throwing.</summary>
    public static bool TryCreate(byte opcode, int dst, int src, short offset, int imm, int nextImm, out Instruction instruction, out string? error)
    {
        error = InstructionRules.Check(opcode, dst, src, offset, imm)
            ?? (nextImm != 0 && opcode != LdImm64Opcode ? $"nextImm is {nextImm}, but only the 64-bit immediate load (opcode 0x18) has a second slot" : null);
        instruction = error == null ? new Instruction(opcode, dst, src, offset, opcode == LdImm64Opcode ? Combine(imm, nextImm) : imm) : default;
        return error == null;
    }

    /// <summary>The 8-bit opcode.</summary>
    public byte Opcode => _opcode;

    /// <summary>The instruction class: <c>BPF_CLASS(code)</c>, the low 3 bits of the opcode.</summary>
    public InstructionClass Class => (InstructionClass)(_opcode & 0x07);

    /// <summary>dst_reg, as its 64-bit view.</summary>
    public Register Dst => Register.FromNumber(_registers & 0x0f);

    /// <summary>src_reg, as its 64-bit view (for calls and 64-bit immediate loads it holds a kind, see <see cref="SrcField"/>).</summary>
    public Register Src => Register.FromNumber(_registers >> 4);

    /// <summary>The raw src_reg field: a register number, or the pseudo source of a call or 64-bit immediate load.</summary>
    public int SrcField => _registers >> 4;

    /// <summary>The raw dst_reg field.</summary>
    public int DstField => _registers & 0x0f;

    /// <summary>off: a memory offset, a jump offset in slots, or a modifier (signed div, movsx width).</summary>
    public short Offset => _offset;

    /// <summary>imm: the first slot's 32-bit immediate (for the 64-bit load, the low half).</summary>
    public int Imm => (int)_imm;

    /// <summary>For the 64-bit immediate load, the whole constant; otherwise <see cref="Imm"/> sign-extended.</summary>
    public long Imm64 => _imm;

    /// <summary>For the 64-bit immediate load, the second slot's imm (for map values, the value offset).</summary>
    public int NextImm => IsWide ? (int)(_imm >> 32) : 0;

    /// <summary>Whether this is the 64-bit immediate load, which takes two slots.</summary>
    public bool IsWide => _opcode == LdImm64Opcode;

    /// <summary>The number of 8-byte slots this instruction takes: 2 for the 64-bit immediate load, else 1.</summary>
    public int Slots => IsWide ? 2 : 1;

    /// <summary>Whether this is a jump whose target is pc + off + 1 (or pc + imm + 1 for gotol).</summary>
    public bool IsBranch =>
        Class is InstructionClass.Jmp or InstructionClass.Jmp32
        && (JumpOperation)(_opcode & 0xf0) is not (JumpOperation.Call or JumpOperation.Exit);

    /// <summary>Whether this is the 32-bit-offset jump, <c>gotol</c> (<c>BPF_JMP32 | BPF_JA</c>).</summary>
    public bool IsLongJump => _opcode == (byte)((byte)InstructionClass.Jmp32 | (byte)JumpOperation.Ja);

    /// <summary>Whether this is a <c>BPF_CALL</c>.</summary>
    public bool IsCall => _opcode == CallOpcode;

    /// <summary>The same instruction with another off (used when resolving a jump).</summary>
    public Instruction WithOffset(short offset) => Create(_opcode, DstField, SrcField, offset, Imm, NextImm);

    /// <summary>The same instruction with another imm (for the 64-bit load, the low half; used when binding an fd).</summary>
    public Instruction WithImm(int imm) => Create(_opcode, DstField, SrcField, _offset, imm, NextImm);

    /// <summary>The same instruction with another src_reg field (e.g. setting <see cref="PseudoSource.MapFd"/>).</summary>
    public Instruction WithSrcField(int src) => Create(_opcode, DstField, src, _offset, Imm, NextImm);

    /// <summary>Writes the instruction's <see cref="Slots"/> × 8 little-endian bytes; returns the bytes written.</summary>
    public int Encode(Span<byte> destination)
    {
        var size = Slots * SlotSize;
        if (destination.Length < size)
            throw new ArgumentException($"the destination has {destination.Length} bytes, but this instruction needs {size}", nameof(destination));
        destination[0] = _opcode;
        destination[1] = _registers;
        BinaryPrimitives.WriteInt16LittleEndian(destination[2..], _offset);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], (int)_imm);
        if (IsWide)
        {
            destination.Slice(8, 4).Clear();
            BinaryPrimitives.WriteInt32LittleEndian(destination[12..], (int)(_imm >> 32));
        }
        return size;
    }

    /// <summary>The slot count of <paramref name="instructions"/> (what the kernel calls insn_cnt).</summary>
    public static int CountSlots(ReadOnlySpan<Instruction> instructions)
    {
        var slots = 0;
        foreach (var insn in instructions)
            slots += insn.Slots;
        return slots;
    }

    /// <summary>Encodes <paramref name="instructions"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Encode(ReadOnlySpan<Instruction> instructions, Span<byte> destination)
    {
        var written = 0;
        foreach (var insn in instructions)
            written += insn.Encode(destination[written..]);
        return written;
    }

    /// <summary>Encodes <paramref name="instructions"/> into a new array in the kernel's layout.</summary>
    public static byte[] Encode(ReadOnlySpan<Instruction> instructions)
    {
        var bytes = new byte[CountSlots(instructions) * SlotSize];
        Encode(instructions, bytes);
        return bytes;
    }

    /// <summary>
    /// Decodes the instruction at slot <paramref name="slot"/> of <paramref name="program"/>. Throws
    /// <see cref="InvalidInstructionException"/> (and nothing else) for bytes that are not a valid instruction.
    /// </summary>
    public static Instruction Decode(ReadOnlySpan<byte> program, int slot)
    {
        var at = slot * SlotSize;
        if (slot < 0 || at >= program.Length)
            throw new ArgumentOutOfRangeException(nameof(slot), slot, $"the program has {(program.Length + SlotSize - 1) / SlotSize} slots");
        if (program.Length - at < SlotSize)
            throw new InvalidInstructionException(slot, $"only {program.Length - at} bytes are left, but an instruction is 8 bytes (the program's length {program.Length} is not a multiple of 8)");
        var code = program[at];
        var regs = program[at + 1];
        var off = BinaryPrimitives.ReadInt16LittleEndian(program[(at + 2)..]);
        var imm = BinaryPrimitives.ReadInt32LittleEndian(program[(at + 4)..]);
        var error = InstructionRules.Check(code, regs & 0x0f, regs >> 4, off, imm);
        if (error != null)
            throw new InvalidInstructionException(slot, error);
        if (code != LdImm64Opcode)
            return new Instruction(code, regs & 0x0f, regs >> 4, off, imm);
        if (program.Length - at < 2 * SlotSize)
            throw new InvalidInstructionException(slot, "the 64-bit immediate load (opcode 0x18) takes two slots, but the program ends after the first");
        var next = program.Slice(at + SlotSize, SlotSize);
        if (next[0] != 0 || next[1] != 0 || next[2] != 0 || next[3] != 0)
            throw new InvalidInstructionException(slot + 1,
                $"the second slot of the 64-bit immediate load at instruction {slot} must have opcode, registers and off 0, but has opcode 0x{next[0]:x2}, registers 0x{next[1]:x2}, off {BinaryPrimitives.ReadInt16LittleEndian(next[2..])}");
        return new Instruction(code, regs & 0x0f, regs >> 4, off, Combine(imm, BinaryPrimitives.ReadInt32LittleEndian(next[4..])));
    }

    /// <summary>Decodes a whole program (a section's bytes, or bytes from <see cref="Encode(ReadOnlySpan{Instruction})"/>).</summary>
    public static Instruction[] DecodeAll(ReadOnlySpan<byte> program)
    {
        var list = new List<Instruction>(program.Length / SlotSize);
        foreach (var insn in Read(program))
            list.Add(insn);
        return list.ToArray();
    }

    /// <summary>Decodes without allocating: <c>foreach (var insn in Instruction.Read(bytes))</c>.</summary>
    public static InstructionReader Read(ReadOnlySpan<byte> program) => new(program);

    /// <summary>Whether both encode the same opcode, registers, offset and immediate.</summary>
    public bool Equals(Instruction other) =>
        _opcode == other._opcode && _registers == other._registers && _offset == other._offset && _imm == other._imm;

    /// <summary>Whether <paramref name="obj"/> is an equal <see cref="Instruction"/>.</summary>
    public override bool Equals(object? obj) => obj is Instruction other && Equals(other);

    /// <summary>A hash of the encoded fields.</summary>
    public override int GetHashCode() => HashCode.Combine(_opcode, _registers, _offset, _imm);

    /// <summary>Whether both encode the same instruction.</summary>
    public static bool operator ==(Instruction a, Instruction b) => a.Equals(b);

    /// <summary>Whether the encodings differ.</summary>
    public static bool operator !=(Instruction a, Instruction b) => !a.Equals(b);

    private static readonly DisassemblerOptions Readable = new() { Alu32 = true, Lossless = true };

    /// <summary>The instruction in llvm's text, lossless and with w registers for 32-bit access (see <see cref="Disassembler"/>).</summary>
    public override string ToString() => Disassembler.Format(this, Readable);

    private static long Combine(int low, int high) => (long)(((ulong)(uint)high << 32) | (uint)low);
}
