using System.Collections.Immutable;
using BpfAsm;

namespace CpuMap.Managed.Loader;

/// <summary>
/// A function as <see cref="ProgramLinker"/> takes it, whether read from an object or built with the DSL: its
/// instructions and their metadata. <paramref name="Function"/> is what references to it point at
/// (<see cref="SymbolReference.Target"/>), so that each function is appended once.
/// </summary>
internal readonly record struct LinkFunction(string Name, object Function, ImmutableArray<Instruction> Instructions, ImmutableArray<InstructionMetadata?> Metadata)
{
    /// <summary>A function of an object.</summary>
    public static LinkFunction Of(Elf.BpfProgram function) => new(function.Name, function, function.Instructions, function.Metadata);

    /// <summary>A DSL program, with the references and source lines its builder recorded.</summary>
    public static LinkFunction Of(string name, BpfAsm.BpfProgram program) => new(name, program, program.Instructions, program.Metadata);
}
