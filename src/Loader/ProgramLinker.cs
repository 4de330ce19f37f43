using BpfAsm;
using CpuMap.Managed.Elf;

namespace CpuMap.Managed.Loader;

/// <summary>
/// The one linker of programs read from objects and programs built with the DSL: the entry function, then every
/// function it reaches by calls or callbacks (appended once each, in the order first reached), with each
/// instruction's reference written in: map fds, global data values, subprogram and callback distances, kfunc and
/// __ksym BTF ids, __kconfig values, as libbpf relocates them. Metadata moves with its instruction, so func_info,
/// line_info and CO-RE records need no offset arithmetic; the program is encoded once, at load.
/// </summary>
internal static class ProgramLinker
{
    /// <param name="entry">The entry program.</param>
    /// <param name="mapFd">The fd of the map a <see cref="ReferenceKind.MapFd"/> or <see cref="ReferenceKind.MapValue"/> reference names
    /// (by name, or by its <see cref="SymbolReference.Target"/>); it throws for a map it does not know.</param>
    /// <param name="externs">How __ksym and __kconfig externs resolved; needed when the program refers to one.</param>
    /// <param name="error">Makes the exception for a reference the linker cannot resolve, in the caller's terms.</param>
    public static LinkedProgram Link(LinkFunction entry, Func<SymbolReference, int> mapFd, ResolvedExterns? externs, Func<string, Exception> error)
    {
        var instructions = new List<Instruction>(entry.Instructions.Length * 2);
        var metadata = new List<InstructionMetadata?>(entry.Instructions.Length * 2);
        var functions = new List<LinkedFunction>();
        var placed = new Dictionary<object, LinkedFunction>(ReferenceEqualityComparer.Instance);
        var end = 0;
        LinkedFunction Place(LinkFunction function)
        {
            var at = new LinkedFunction(function.Name, function.Function, instructions.Count, end);
            functions.Add(at);
            placed.Add(function.Function, at);
            instructions.AddRange(function.Instructions);
            metadata.AddRange(function.Metadata.Length == function.Instructions.Length ? function.Metadata : new InstructionMetadata?[function.Instructions.Length]);
            end += Instruction.CountSlots(function.Instructions.AsSpan());
            return at;
        }

        Place(entry);
        // Functions appended while walking are walked in turn: the loop reaches them as the list grows.
        for (int i = 0, slot = 0; i < instructions.Count; slot += instructions[i].Slots, i++)
        {
            if (metadata[i]?.Reference is not { } reference)
                continue;
            var insn = instructions[i];
            instructions[i] = reference.Kind switch
            {
                ReferenceKind.MapFd => Rewrite(insn, (int)PseudoSource.MapFd, mapFd(reference), 0),
                ReferenceKind.MapValue => Rewrite(insn, (int)PseudoSource.MapValue, mapFd(reference), reference.ValueOffset),
                // Both name the function by its distance in slots from the next instruction.
                ReferenceKind.Subprogram => Rewrite(insn, (int)CallKind.Subprogram, Callee(reference).Slot - slot - 1, 0),
                ReferenceKind.Callback => Rewrite(insn, (int)PseudoSource.Func, Callee(reference).Slot - slot - 1, 0),
                // imm is the kfunc's id in vmlinux BTF and off (the fd_array index of a module's BTF) 0; a weak
                // kfunc the kernel lacks stays imm 0, which the verifier accepts only on a path it proves dead.
                ReferenceKind.Kfunc => Instruction.Call(CallKind.Kfunc, (int)Externs(reference).Symbols.IdOf(reference.Name)),
                ReferenceKind.Extern => Extern(insn, reference),
                _ => throw error($"instruction {slot} refers to '{reference.Name}' by an ELF relocation ({reference.RelocationType}) with no target this " +
                                 "loader can resolve: a DSL program names maps with LoadMapFd/LoadMapValue and functions by label"),
            };
        }
        return new LinkedProgram([.. instructions], [.. metadata], functions);

        LinkedFunction Callee(SymbolReference reference) =>
            reference.Target is null
                ? throw error($"instruction {reference.Slot} calls '{reference.Name}', which is not a function of the program; rebuild it")
                : placed.TryGetValue(reference.Target, out var at) ? at
                : Place(reference.Target is Elf.BpfProgram function ? LinkFunction.Of(function)
                    : throw error($"instruction {reference.Slot} calls '{reference.Name}', a {reference.Target.GetType().Name}, which is not a function of an object"));

        ResolvedExterns Externs(SymbolReference reference) =>
            externs ?? throw error($"instruction {reference.Slot} refers to extern '{reference.Name}' (__ksym or __kconfig), and no externs were resolved for it");

        Instruction Extern(Instruction insn, SymbolReference reference)
        {
            var resolved = Externs(reference);
            if (resolved.KconfigOffsets.TryGetValue(reference.Name, out var offset))
                return Rewrite(insn, (int)PseudoSource.MapValue, mapFd(reference with { Name = KconfigMap.Name, Target = null }), checked(offset + reference.ValueOffset));
            // The second imm is the BTF object's fd, 0 for vmlinux.
            if (resolved.Symbols.IdOf(reference.Name) is var id and not 0)
                return Rewrite(insn, (int)PseudoSource.BtfId, (int)id, 0);
            return Rewrite(insn, (int)PseudoSource.None, 0, 0); // a weak __ksym the kernel lacks: its address is NULL
        }
    }

    /// <summary>Links an entry program of <paramref name="bpfObject"/>; map references are by name.</summary>
    public static LinkedProgram Link(BpfObject bpfObject, Elf.BpfProgram program, Func<string, int> mapFd, ResolvedExterns? externs = null) =>
        Link(LinkFunction.Of(program), reference => mapFd(reference.Name), externs, message => new BpfLoadException(bpfObject.Name, null, program.Name, message));

    /// <summary>The instruction with another src_reg, imm and (for ld_imm64) second imm; dst and off stay.</summary>
    private static Instruction Rewrite(Instruction insn, int source, int imm, int nextImm) =>
        Instruction.Create(insn.Opcode, insn.DstField, source, insn.Offset, imm, insn.IsWide ? nextImm : 0);
}
