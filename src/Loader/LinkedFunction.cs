namespace CpuMap.Managed.Loader;

/// <summary>A function as the linker placed it in one program: its first instruction's index and slot.</summary>
/// <param name="Name">The entry program's or the subprogram's name.</param>
/// <param name="Function">The function (<see cref="LinkFunction.Function"/>).</param>
/// <param name="Index">Its first instruction's index in <see cref="LinkedProgram.Instructions"/>.</param>
/// <param name="Slot">Its first instruction's slot, as the kernel counts instructions.</param>
internal readonly record struct LinkedFunction(string Name, object Function, int Index, int Slot);
