using System.Runtime.InteropServices;
using BpfAsm;
using CpuMap.Managed.Elf.Btf;

namespace CpuMap.Managed.Elf.Programs;

/// <summary>
/// Gives every function's instructions their metadata once all functions of the object are read: each
/// relocation becomes the reference of its instruction (a subprogram or callback reference points at the
/// function it reaches, in whatever section), and each .BTF.ext record (func_info, line_info, CO-RE
/// relocation) goes to the instruction at its byte offset, so that no offset needs translating after linking.
/// </summary>
internal static class ProgramMetadataReader
{
    public static void Attach(IReadOnlyList<BpfProgram> functions, BtfExt? btfExt, string objectName)
    {
        var byPlace = new Dictionary<(string Section, long Offset), BpfProgram>();
        foreach (var function in functions)
            byPlace.TryAdd((function.SectionName, function.Offset), function);
        foreach (var function in functions)
        {
            var metadata = new InstructionMetadata?[function.Instructions.Length];
            var indexBySlot = BpfProgram.IndexBySlot(function.Instructions);
            foreach (var relocation in function.Relocations)
            {
                var index = indexBySlot[relocation.InstructionIndex];
                var reference = Reference(relocation, index, byPlace, objectName, function);
                metadata[index] = (metadata[index] ?? new InstructionMetadata()) with { Reference = reference };
            }
            if (btfExt?.Find(function.SectionName) is { } records)
            {
                foreach (var info in records.FuncInfos)
                    if (IndexOf(function, indexBySlot, info.InsnOff, "func_info", objectName) is var i and >= 0)
                        metadata[i] = (metadata[i] ?? new InstructionMetadata()) with { Func = new FuncInfo(info.TypeId) };
                foreach (var info in records.LineInfos)
                    if (IndexOf(function, indexBySlot, info.InsnOff, "line_info", objectName) is var i and >= 0)
                        metadata[i] = (metadata[i] ?? new InstructionMetadata()) with { Line = new LineInfo(info.FileNameOff, info.LineOff, info.LineCol) };
                foreach (var relo in records.CoreRelos)
                    if (IndexOf(function, indexBySlot, relo.InsnOff, "core_relo", objectName) is var i and >= 0)
                        metadata[i] = (metadata[i] ?? new InstructionMetadata()) with { CoreRelocation = new CoreRelocation(relo.TypeId, relo.AccessStrOff, (uint)relo.Kind) };
            }
            function.Metadata = ImmutableCollectionsMarshal.AsImmutableArray(metadata);
        }
    }

    private static SymbolReference Reference(BpfProgramRelocation relocation, int index, Dictionary<(string, long), BpfProgram> byPlace, string objectName, BpfProgram function)
    {
        var slot = relocation.InstructionIndex;
        return relocation.Kind switch
        {
            BpfRelocationKind.MapReference => new SymbolReference(index, slot, ReferenceKind.MapFd, relocation.TargetName),
            BpfRelocationKind.GlobalData => new SymbolReference(index, slot, ReferenceKind.MapValue, relocation.TargetName, ValueOffset: checked((int)relocation.TargetOffset)),
            BpfRelocationKind.SubprogramCall or BpfRelocationKind.SubprogramAddress =>
                new SymbolReference(index, slot, relocation.Kind == BpfRelocationKind.SubprogramCall ? ReferenceKind.Subprogram : ReferenceKind.Callback, relocation.TargetName,
                    byPlace.GetValueOrDefault((relocation.TargetSectionName, relocation.TargetOffset)) ?? Missing(objectName, function, relocation)),
            BpfRelocationKind.ExternCall => new SymbolReference(index, slot, ReferenceKind.Kfunc, relocation.TargetName),
            _ => new SymbolReference(index, slot, ReferenceKind.Extern, relocation.TargetName, ValueOffset: checked((int)relocation.TargetOffset)),
        };
    }

    private static BpfProgram Missing(string objectName, BpfProgram function, BpfProgramRelocation relocation)
    {
        BpfObjectException.Throw(objectName, function.SectionName, function.Offset + relocation.Offset,
            $"'{function.Name}' instruction {relocation.InstructionIndex} calls '{relocation.TargetName}', which is not a function of the object; rebuild the object");
        return null!;
    }

    /// <summary>The index of the instruction a record of the function's section names, or -1 when the record is another function's.</summary>
    private static int IndexOf(BpfProgram function, int[] indexBySlot, uint insnOff, string what, string objectName)
    {
        var offset = (long)insnOff - function.Offset;
        if (offset < 0 || offset >= indexBySlot.Length * Instruction.SlotSize)
            return -1;
        var index = indexBySlot[offset / Instruction.SlotSize];
        if (index < 0)
            BpfObjectException.Throw(objectName, BtfExt.SectionName, 0,
                $"a {what} record of section '{function.SectionName}' is at byte 0x{insnOff:x}, the second half of an ld_imm64 in '{function.Name}', not an instruction; the object is corrupt, rebuild it");
        return index;
    }
}
