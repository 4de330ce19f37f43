using CpuMap.Managed.Elf;

namespace CpuMap.Managed.Loader;

/// <summary>A function of the object as the linker placed it in one program: where its first instruction went.</summary>
/// <param name="Function">The entry program or a subprogram.</param>
/// <param name="Start">Its first instruction slot in the linked program.</param>
internal readonly record struct LinkedFunction(BpfProgram Function, int Start);
