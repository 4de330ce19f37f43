namespace BpfAsm;

/// <summary>A non-allocating decoder over a program's bytes; yields each instruction and its slot index.</summary>
public ref struct InstructionReader
{
    private readonly ReadOnlySpan<byte> _program;
    private int _nextSlot;

    internal InstructionReader(ReadOnlySpan<byte> program)
    {
        _program = program;
        Current = default;
        Slot = -1;
    }

    /// <summary>The instruction decoded by the last <see cref="MoveNext"/>.</summary>
    public Instruction Current { get; private set; }

    /// <summary>The slot index of <see cref="Current"/>.</summary>
    public int Slot { get; private set; }

    /// <summary>Makes the reader usable in <c>foreach</c>.</summary>
    public readonly InstructionReader GetEnumerator() => this;

    /// <summary>Decodes the next instruction; false at the end of the program.</summary>
    public bool MoveNext()
    {
        if (_nextSlot * Instruction.SlotSize >= _program.Length)
            return false;
        Current = Instruction.Decode(_program, _nextSlot);
        Slot = _nextSlot;
        _nextSlot += Current.Slots;
        return true;
    }
}
