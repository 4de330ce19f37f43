using BpfAsm;

namespace CpuMap.Managed.Loader;

/// <summary>
/// One program as BPF_PROG_LOAD receives it, before encoding: the entry function and every function it reaches,
/// with references resolved, and each instruction's metadata beside it (func_info, line_info, CO-RE relocation).
/// </summary>
internal sealed class LinkedProgram
{
    private readonly int[] _slots;

    public LinkedProgram(Instruction[] instructions, InstructionMetadata?[] metadata, IReadOnlyList<LinkedFunction> functions)
    {
        Instructions = instructions;
        Metadata = metadata;
        Functions = functions;
        _slots = new int[instructions.Length];
        var slot = 0;
        for (var i = 0; i < instructions.Length; i++)
        {
            _slots[i] = slot;
            slot += instructions[i].Slots;
        }
        SlotCount = slot;
    }

    public Instruction[] Instructions { get; }

    /// <summary>One entry per instruction, null where there is none.</summary>
    public InstructionMetadata?[] Metadata { get; }

    /// <summary>Every function placed, in order: the entry program at 0, then each subprogram where it was appended.</summary>
    public IReadOnlyList<LinkedFunction> Functions { get; }

    /// <summary>insn_cnt: what the kernel and its verifier log count.</summary>
    public int SlotCount { get; }

    /// <summary>The slot of instruction <paramref name="index"/>: the insn_off the kernel's records want.</summary>
    public int SlotOf(int index) => _slots[index];

    /// <summary>The bytes BPF_PROG_LOAD takes: the one place a program is encoded.</summary>
    public byte[] Encode() => Instruction.Encode(Instructions);
}
