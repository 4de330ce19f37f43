using System.Buffers.Binary;
using CpuMap.Managed.Elf;

namespace CpuMap.Managed.Loader;

/// <summary>
/// Turns one entry program into the instructions BPF_PROG_LOAD receives: the program, then every
/// function it reaches by calls or callbacks, from any executable section (appended once each,
/// recursively), with BPF-to-BPF calls pointed at them, ld_imm64 instructions pointed at map fds and
/// global data, and kfunc calls and externs resolved, as libbpf relocates them.
/// </summary>
internal static class ProgramLinker
{
    private const int SlotSize = 8;
    private const byte BPF_PSEUDO_MAP_FD = 1;
    private const byte BPF_PSEUDO_MAP_VALUE = 2;
    private const byte BPF_PSEUDO_CALL = 1;
    private const byte BPF_PSEUDO_FUNC = 4;
    private const byte BPF_PSEUDO_KFUNC_CALL = 2;
    private const byte BPF_PSEUDO_BTF_ID = 3;

    /// <param name="bpfObject">The object the program comes from.</param>
    /// <param name="program">The entry program.</param>
    /// <param name="functions">Every function of the object (programs and subprograms) by section name and byte offset.</param>
    /// <param name="mapFd">The fd of a map (by map name) or of a global data map (by section name).</param>
    /// <param name="layout">When given, receives every function placed and its first instruction slot, in order:
    /// the entry program at 0, then each subprogram where it was appended. Its func_info, line_info and CO-RE
    /// relocations move with it.</param>
    /// <param name="externs">How the object's __ksym and __kconfig externs resolved; needed when the program refers to one.</param>
    public static byte[] Link(BpfObject bpfObject, BpfProgram program, IReadOnlyDictionary<(string Section, long Offset), BpfProgram> functions, Func<string, int> mapFd,
        List<LinkedFunction>? layout = null, ResolvedExterns? externs = null)
    {
        var code = new byte[program.Instructions.Length * 2];
        var length = 0;
        Append(ref code, ref length, program.Instructions.Span);

        var placed = new Dictionary<BpfProgram, int>(ReferenceEqualityComparer.Instance);
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
                        if (!functions.TryGetValue((relocation.TargetSectionName, relocation.TargetOffset), out var callee))
                            throw new BpfLoadException(bpfObject.Name, null, program.Name,
                                $"instruction {slot} calls '{relocation.TargetName}', which is not a function of the object; rebuild the object");
                        if (!placed.TryGetValue(callee, out var start))
                        {
                            start = length / SlotSize;
                            placed.Add(callee, start);
                            Append(ref code, ref length, callee.Instructions.Span);
                            layout?.Add(new LinkedFunction(callee, start));
                            work.Enqueue((callee, start));
                        }
                        // Both encode the callee as a distance in slots from the next instruction.
                        var source = relocation.Kind == BpfRelocationKind.SubprogramCall ? BPF_PSEUDO_CALL : BPF_PSEUDO_FUNC;
                        Patch(code, at, source, start - slot - 1, nextImm: relocation.Kind == BpfRelocationKind.SubprogramCall ? null : 0);
                        break;
                    case BpfRelocationKind.ExternCall:
                        // imm is the kfunc's id in vmlinux BTF and off (the fd_array index of a module's BTF) 0; a weak
                        // kfunc the kernel lacks stays imm 0, which the verifier accepts only on a path it proves dead.
                        Patch(code, at, BPF_PSEUDO_KFUNC_CALL, (int)Externs(bpfObject, program, externs).Symbols.IdOf(relocation.TargetName), nextImm: null);
                        code[at + 2] = code[at + 3] = 0;
                        break;
                    case BpfRelocationKind.ExternLoad:
                        var resolved = Externs(bpfObject, program, externs);
                        if (resolved.KconfigOffsets.TryGetValue(relocation.TargetName, out var offset))
                            Patch(code, at, BPF_PSEUDO_MAP_VALUE, mapFd(KconfigMap.Name), nextImm: checked(offset + (int)relocation.TargetOffset));
                        else if (resolved.Symbols.IdOf(relocation.TargetName) is var id and not 0)
                            Patch(code, at, BPF_PSEUDO_BTF_ID, (int)id, nextImm: 0); // next imm: the BTF object fd, 0 for vmlinux
                        else
                            Patch(code, at, 0, 0, nextImm: 0); // a weak __ksym the kernel lacks: its address is NULL
                        break;
                }
            }
        }
        return length == code.Length ? code : code[..length];
    }

    private static ResolvedExterns Externs(BpfObject bpfObject, BpfProgram program, ResolvedExterns? externs) =>
        externs ?? throw new BpfLoadException(bpfObject.Name, null, program.Name, "it refers to __ksym or __kconfig externs, which were not resolved before linking");

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
