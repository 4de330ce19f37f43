namespace BpfAsm;

/// <summary>
/// What travels with one instruction through linking besides the instruction itself (cilium/ebpf's
/// <c>asm.Metadata</c>): the reference a loader resolves, the func_info / line_info record and the CO-RE
/// relocation the kernel reads, and, for DSL programs, the C# line that emitted it. A program keeps one
/// nullable entry per instruction beside its <see cref="Instruction"/> array, so <see cref="Instruction"/>
/// stays a 16-byte value with value equality (decoders, listings and comparisons ignore metadata), the
/// many instructions without any cost one null, and a linker that copies a function copies both arrays in
/// step: no record ever holds an offset that moving code would make wrong.
/// </summary>
/// <param name="Reference">A map, global data, subprogram, callback or extern the loader writes into the instruction.</param>
/// <param name="Func">The func_info record of a function that starts here.</param>
/// <param name="Line">The line_info record, its strings in the program's BTF.</param>
/// <param name="CoreRelocation">The CO-RE relocation the kernel applies to this instruction.</param>
/// <param name="Source">Where a DSL program emitted this instruction, which a loader turns into line_info.</param>
public sealed record InstructionMetadata(
    SymbolReference? Reference = null,
    FuncInfo? Func = null,
    LineInfo? Line = null,
    CoreRelocation? CoreRelocation = null,
    SourceLine? Source = null);
