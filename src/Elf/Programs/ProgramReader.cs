using System.Collections.Immutable;
using System.Runtime.InteropServices;
using BpfAsm;
using CpuMap.Managed.Elf.ElfFormat;

namespace CpuMap.Managed.Elf.Programs;

/// <summary>
/// Splits an executable section into its functions (one per FUNC symbol, which must tile the
/// section as libbpf requires), decodes each into instructions and attaches each instruction
/// relocation to the function it falls in.
/// </summary>
internal static class ProgramReader
{
    private const int InstructionSize = Instruction.SlotSize;

    /// <summary>The context the relocations are classified against.</summary>
    internal sealed record Targets(
        ElfSection? Text,
        ElfSection? MapsSection,
        ElfSection? LegacyMapsSection,
        IReadOnlyList<BpfMapDefinition> Maps,
        IReadOnlyDictionary<int, GlobalDataSection> GlobalData,
        IReadOnlyDictionary<string, BpfExtern> Externs);

    public static List<BpfProgram> Read(ElfImage image, ElfSection section, Targets targets)
    {
        var functions = Functions(image, section);
        var isText = IsSubprogramSection(section);
        var relocations = new List<BpfProgramRelocation>[functions.Count];
        var code = new ImmutableArray<Instruction>[functions.Count];
        for (var i = 0; i < relocations.Length; i++)
        {
            relocations[i] = [];
            code[i] = Decode(image, section, functions[i]);
        }

        foreach (var table in image.Sections)
        {
            if (table.Info != section.Index || table.Type is not (ElfConstants.SHT_REL or ElfConstants.SHT_RELA))
                continue;
            var reader = new RelocationReader(table, image);
            while (reader.TryRead(out var relocation))
            {
                var at = reader.RecordOffset;
                var index = FunctionAt(functions, relocation.Offset);
                if (index < 0 || relocation.Offset % InstructionSize != 0)
                    BpfObjectException.Throw(image.ObjectName, table.Name, at, $"relocation at 0x{relocation.Offset:x} of '{section.Name}' does not fall on an instruction of any function ({section.Size} bytes); the object is corrupt, rebuild it");
                var function = functions[index];
                relocations[index].Add(Classify(image, section, table, at, relocation, (int)(relocation.Offset - function.Value), function, code[index], targets));
            }
        }

        for (var i = 0; i < functions.Count; i++)
            AddUnrelocatedCalls(image, section, functions, code, i, relocations[i]);

        var programs = new List<BpfProgram>(functions.Count);
        for (var i = 0; i < functions.Count; i++)
        {
            var function = functions[i];
            programs.Add(new BpfProgram(function.Name, section, (int)function.Value, code[i], function.Binding, isText, relocations[i]));
        }
        return programs;
    }

    private static ImmutableArray<Instruction> Decode(ElfImage image, ElfSection section, ElfSymbol function)
    {
        try
        {
            return ImmutableCollectionsMarshal.AsImmutableArray(Instruction.DecodeAll(section.Data.Span.Slice((int)function.Value, (int)function.Size)));
        }
        catch (InvalidInstructionException e)
        {
            BpfObjectException.Throw(image.ObjectName, section.Name, (long)function.Value + (long)e.InstructionIndex * InstructionSize,
                $"'{function.Name}' instruction {e.InstructionIndex} is not a valid eBPF instruction: {e.Reason}; the object is corrupt, rebuild it");
            return default;
        }
    }

    /// <summary>
    /// ".text" and ".text.*" hold subprograms, which programs reach by calls; every other executable section holds
    /// programs (libbpf: SEC("xdp") and the like), though a static function there that others call is a subprogram too.
    /// </summary>
    internal static bool IsSubprogramSection(ElfSection section) => section.Name == ".text" || section.Name.StartsWith(".text.", StringComparison.Ordinal);

    private static List<ElfSymbol> Functions(ElfImage image, ElfSection section)
    {
        var functions = new List<ElfSymbol>();
        foreach (var symbol in image.Symbols)
            if (symbol.SectionIndex == section.Index && symbol.Type == ElfSymbolType.Func)
                functions.Add(symbol);
        functions.Sort((a, b) => a.Value.CompareTo(b.Value));

        ulong expected = 0;
        foreach (var function in functions)
        {
            if (function.Value != expected)
                BpfObjectException.Throw(image.ObjectName, section.Name, (long)expected, $"no function symbol starts at 0x{expected:x} ('{function.Name}' starts at 0x{function.Value:x}); every instruction must belong to a function, rebuild the object");
            if (function.Size == 0 || function.Size % InstructionSize != 0 || function.Size > section.Size - function.Value)
                BpfObjectException.Throw(image.ObjectName, section.Name, (long)function.Value, $"function '{function.Name}' has size {function.Size}, which is not a whole number of 8-byte instructions inside the {section.Size}-byte section; the object is corrupt, rebuild it");
            expected = function.Value + function.Size;
        }
        if (expected != section.Size)
            BpfObjectException.Throw(image.ObjectName, section.Name, (long)expected, $"no function symbol covers the instructions from 0x{expected:x} to the end (0x{section.Size:x}); every instruction must belong to a function, rebuild the object");
        return functions;
    }

    /// <summary>
    /// A call from one function to a static function of the same section has no ELF relocation:
    /// the compiler already wrote the distance into imm. libbpf follows such calls all the same;
    /// they are reported here as relocations of type R_BPF_NONE so that a loader, which moves
    /// subprograms, relinks every call the same way.
    /// </summary>
    private static void AddUnrelocatedCalls(ElfImage image, ElfSection section, List<ElfSymbol> functions, ImmutableArray<Instruction>[] code, int index, List<BpfProgramRelocation> relocations)
    {
        var function = functions[index];
        var at = 0;
        foreach (var insn in code[index])
        {
            var isCall = insn.IsCall && insn.SrcField == (int)CallKind.Subprogram;
            var isAddress = insn.IsWide && insn.SrcField == (int)PseudoSource.Func;
            if ((isCall || isAddress) && !relocations.Exists(r => r.Offset == at))
            {
                var target = (long)function.Value + at + ((long)insn.Imm + 1) * InstructionSize;
                var callee = target < 0 ? -1 : FunctionAt(functions, (ulong)target);
                if (callee < 0 || (long)functions[callee].Value != target)
                    BpfObjectException.Throw(image.ObjectName, section.Name, (long)function.Value + at,
                        $"'{function.Name}' instruction {at / InstructionSize} calls offset 0x{target:x} of '{section.Name}', where no function starts; the object is corrupt, rebuild it");
                relocations.Add(new BpfProgramRelocation(at, BpfRelocationType.R_BPF_NONE,
                    isCall ? BpfRelocationKind.SubprogramCall : BpfRelocationKind.SubprogramAddress,
                    functions[callee], section.Name, target, functions[callee].Name));
            }
            at += insn.Slots * InstructionSize;
        }
        relocations.Sort((a, b) => a.Offset.CompareTo(b.Offset));
    }

    private static int FunctionAt(List<ElfSymbol> functions, ulong offset)
    {
        for (var i = 0; i < functions.Count; i++)
            if (offset >= functions[i].Value && offset - functions[i].Value < functions[i].Size)
                return i;
        return -1;
    }

    private static BpfProgramRelocation Classify(ElfImage image, ElfSection section, ElfSection table, long at, ElfRelocation relocation, int offsetInFunction, ElfSymbol function,
        ImmutableArray<Instruction> code, Targets targets)
    {
        var symbol = image.Symbol(relocation.SymbolIndex, table.Name, at);
        // Only failures need the description: build it then, not for every relocation.
        var where = new Where(function.Name, offsetInFunction / InstructionSize, symbol.Name);
        var index = BpfProgram.IndexOfSlot(code, offsetInFunction / InstructionSize);
        if (index < 0)
            Fail(image, table, at, $"{where}: the slot is the second half of an ld_imm64, not an instruction; the object is corrupt, rebuild it");
        var insn = code[index];
        if (symbol.IsUndefined)
            return Extern(image, table, at, offsetInFunction, relocation, symbol, insn, targets, where);
        if (symbol.SectionIndex >= image.Sections.Length)
            Fail(image, table, at, $"{where}: the symbol is in special section 0x{symbol.SectionIndex:x}, not a map, global data or .text");
        var target = image.Sections[symbol.SectionIndex];

        if (insn.IsCall)
        {
            if (insn.SrcField != (int)CallKind.Subprogram)
                Fail(image, table, at, $"{where}: a call with src_reg {insn.SrcField} is a helper call, which takes no relocation; the object is corrupt");
            if (!target.IsExecutable)
                Fail(image, table, at, $"{where}: a BPF-to-BPF call must go to a function in an executable section, not in '{target.Name}'");
            // For a static callee the symbol is the section and imm holds the distance; for a global
            // one the symbol is the function and imm is -1 (libbpf: sym_off / 8 + imm + 1).
            var callee = (long)symbol.Value + ((long)insn.Imm + 1) * InstructionSize;
            return new BpfProgramRelocation(offsetInFunction, relocation.Type, BpfRelocationKind.SubprogramCall, symbol, target.Name, callee, FunctionName(image, target, callee, table, at, where));
        }
        if (!insn.IsWide)
            Fail(image, table, at, $"{where}: instruction opcode 0x{insn.Opcode:x2} takes no relocation; only ld_imm64 (0x{Instruction.LdImm64Opcode:x2}) and call (0x{Instruction.CallOpcode:x2}) do");

        var targetOffset = (long)symbol.Value + insn.Imm;
        if (target == targets.MapsSection || target == targets.LegacyMapsSection)
        {
            var map = MapAt(targets.Maps, target, targetOffset);
            if (map is null)
                Fail(image, table, at, $"{where}: no map starts at offset 0x{targetOffset:x} of '{target.Name}'");
            return new BpfProgramRelocation(offsetInFunction, relocation.Type, BpfRelocationKind.MapReference, symbol, target.Name, targetOffset, map.Name);
        }
        if (targets.GlobalData.TryGetValue(target.Index, out var data))
        {
            if (targetOffset < 0 || targetOffset > data.Size)
                Fail(image, table, at, $"{where}: offset 0x{targetOffset:x} is outside the {data.Size}-byte '{data.Name}'");
            return new BpfProgramRelocation(offsetInFunction, relocation.Type, BpfRelocationKind.GlobalData, symbol, target.Name, targetOffset, data.Name);
        }
        if (target.IsExecutable)
            return new BpfProgramRelocation(offsetInFunction, relocation.Type, BpfRelocationKind.SubprogramAddress, symbol, target.Name, targetOffset, FunctionName(image, target, targetOffset, table, at, where));
        Fail(image, table, at, $"{where}: the symbol is in '{target.Name}', which is not a map section, global data (.rodata, .data, .bss) or an executable section");
        return null!;
    }

    /// <summary>A relocation against an undefined symbol: a kfunc call or an ld_imm64 of a __ksym or __kconfig extern.</summary>
    private static BpfProgramRelocation Extern(ElfImage image, ElfSection table, long at, int offsetInFunction, ElfRelocation relocation, ElfSymbol symbol,
        Instruction insn, Targets targets, Where where)
    {
        if (!targets.Externs.TryGetValue(symbol.Name, out var declared))
            Fail(image, table, at, $"{where}: '{symbol.Name}' is not defined in the object (an extern), and its BTF does not declare it " +
                "__ksym or __kconfig (in DATASEC .ksyms or .kconfig, which needs clang -g), the only externs a loader resolves: define it in " +
                "the object, e.g. as const volatile global data set before loading, or declare it as libbpf's bpf_helpers.h does");
        if (insn.IsCall)
        {
            if (!declared.IsFunction)
                Fail(image, table, at, $"{where}: a call to '{symbol.Name}', which the object's BTF declares as a {declared.Kind} variable, not a kernel function");
            return new BpfProgramRelocation(offsetInFunction, relocation.Type, BpfRelocationKind.ExternCall, symbol, "", 0, symbol.Name);
        }
        if (!insn.IsWide)
            Fail(image, table, at, $"{where}: instruction opcode 0x{insn.Opcode:x2} takes no relocation; only ld_imm64 (0x{Instruction.LdImm64Opcode:x2}) and call (0x{Instruction.CallOpcode:x2}) do");
        return new BpfProgramRelocation(offsetInFunction, relocation.Type, BpfRelocationKind.ExternLoad, symbol, "", insn.Imm, symbol.Name);
    }

    private readonly record struct Where(string Function, int Instruction, string Symbol)
    {
        public override string ToString() => $"relocation of '{Function}' instruction {Instruction} against '{Symbol}'";
    }

    private static string FunctionName(ElfImage image, ElfSection text, long offset, ElfSection table, long at, Where where)
    {
        foreach (var symbol in image.Symbols)
            if (symbol.SectionIndex == text.Index && symbol.Type == ElfSymbolType.Func && (long)symbol.Value == offset)
                return symbol.Name;
        Fail(image, table, at, $"{where}: no function of '{text.Name}' starts at offset 0x{offset:x}");
        return null!;
    }

    private static BpfMapDefinition? MapAt(IReadOnlyList<BpfMapDefinition> maps, ElfSection section, long offset)
    {
        foreach (var map in maps)
            if (map.SectionIndex == section.Index && (long)map.Offset == offset)
                return map;
        return null;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void Fail(ElfImage image, ElfSection table, long at, string message) =>
        BpfObjectException.Throw(image.ObjectName, table.Name, at, message);
}
