using System.Buffers.Binary;
using CpuMap.Managed.Elf;

namespace CpuMap.Managed.Loader;

/// <summary>
/// Turns one entry program into the instructions BPF_PROG_LOAD receives: the program, then every
/// .text subprogram it reaches (appended once each, recursively), with BPF-to-BPF calls pointed at
/// them and ld_imm64 instructions pointed at map fds and global data, as libbpf relocates them.
/// </summary>
internal static class ProgramLinker
{
    private const int SlotSize = 8;
    private const byte BPF_PSEUDO_MAP_FD = 1;
    private const byte BPF_PSEUDO_MAP_VALUE = 2;
    private const byte BPF_PSEUDO_CALL = 1;
    private const byte BPF_PSEUDO_FUNC = 4;

    /// <param name="bpfObject">The object the program comes from.</param>
    /// <param name="program">The entry program.</param>
    /// <param name="subprograms">The object's .text functions by name.</param>
    /// <param name="mapFd">The fd of a map (by map name) or of a global data map (by section name).</param>
    /// <param name="layout">When given, receives every function placed and its first instruction slot, in order:
    /// the entry program at 0, then each subprogram where it was appended. Its func_info, line_info and CO-RE
    /// relocations move with it.</param>
    public static byte[] Link(BpfObject bpfObject, BpfProgram program, IReadOnlyDictionary<string, BpfProgram> subprograms, Func<string, int> mapFd,
        List<LinkedFunction>? layout = null)
    {
        var code = new byte[program.Instructions.Length * 2];
        var length = 0;
        Append(ref code, ref length, program.Instructions.Span);

        var placed = new Dictionary<string, int>(StringComparer.Ordinal);
        var work = new Queue<(BpfProgram Function, int Start)>();
        work.Enqueue((program, 0));
        layout?.Add(new LinkedFunction(program, 0));
        while (work.TryDequeue(out var item))
        {
            foreach (var relocation in item.Function.Relocations)
            {
                var slot = item.Start + relocation.InstructionIndex;
                var at = slot * SlotSize;
                switch (relocation.Kind)
                {
                    case BpfRelocationKind.MapReference:
                        Patch(code, at, BPF_PSEUDO_MAP_FD, mapFd(relocation.TargetName), nextImm: 0);
                        break;
                    case BpfRelocationKind.GlobalData:
                        Patch(code, at, BPF_PSEUDO_MAP_VALUE, mapFd(relocation.TargetName), nextImm: checked((int)relocation.TargetOffset));
                        break;
                    case BpfRelocationKind.SubprogramCall:
                    case BpfRelocationKind.SubprogramAddress:
                        if (!placed.TryGetValue(relocation.TargetName, out var start))
                        {
                            if (!subprograms.TryGetValue(relocation.TargetName, out var callee))
                                throw new BpfLoadException(bpfObject.Name, null, program.Name,
                                    $"instruction {slot} calls '{relocation.TargetName}', which is not a .text function of the object; rebuild the object");
                            start = length / SlotSize;
                            placed.Add(callee.Name, start);
                            Append(ref code, ref length, callee.Instructions.Span);
                            layout?.Add(new LinkedFunction(callee, start));
                            work.Enqueue((callee, start));
                        }
                        // Both encode the callee as a distance in slots from the next instruction.
                        var source = relocation.Kind == BpfRelocationKind.SubprogramCall ? BPF_PSEUDO_CALL : BPF_PSEUDO_FUNC;
                        Patch(code, at, source, start - slot - 1, nextImm: relocation.Kind == BpfRelocationKind.SubprogramCall ? null : 0);
                        break;
                }
            }
        }
        return length == code.Length ? code : code[..length];
    }

    private static void Append(ref byte[] code, ref int length, ReadOnlySpan<byte> instructions)
    {
        if (length + instructions.Length > code.Length)
            Array.Resize(ref code, Math.Max(code.Length * 2, length + instructions.Length));
        instructions.CopyTo(code.AsSpan(length));
        length += instructions.Length;
    }

    private static void Patch(byte[] code, int at, byte sourceRegister, int imm, int? nextImm)
    {
        code[at + 1] = (byte)((code[at + 1] & 0x0f) | (sourceRegister << 4));
        BinaryPrimitives.WriteInt32LittleEndian(code.AsSpan(at + 4), imm);
        if (nextImm is { } next)
            BinaryPrimitives.WriteInt32LittleEndian(code.AsSpan(at + SlotSize + 4), next);
    }
}
