namespace BpfAsm;

/// <summary>What a <see cref="SymbolReference"/> asks the loader to put into its instruction.</summary>
public enum ReferenceKind
{
    /// <summary>A map pointer: the loader writes the map's fd into imm and sets src_reg <c>BPF_PSEUDO_MAP_FD</c>.</summary>
    MapFd,
    /// <summary>A pointer into a map's value (global data): fd into imm, <c>BPF_PSEUDO_MAP_VALUE</c>, offset into the second imm.</summary>
    MapValue,
    /// <summary>An ELF <c>R_BPF_64_64</c> on a 64-bit load, as in a compiled object: a map or a global's section.</summary>
    Symbol64,
    /// <summary>An ELF <c>R_BPF_64_32</c> on a call: a subprogram or kfunc outside this program.</summary>
    Call,
    /// <summary>A BPF-to-BPF call of the function <see cref="SymbolReference.Target"/>: the linker appends it and writes the distance (<c>BPF_PSEUDO_CALL</c>).</summary>
    Subprogram,
    /// <summary>The address of the function <see cref="SymbolReference.Target"/>, a callback: appended like a subprogram, <c>BPF_PSEUDO_FUNC</c>.</summary>
    Callback,
    /// <summary>A call of the kernel function named <see cref="SymbolReference.Name"/> (<c>__ksym</c>): its kernel BTF id, <c>BPF_PSEUDO_KFUNC_CALL</c>.</summary>
    Kfunc,
    /// <summary>A 64-bit load of the extern <see cref="SymbolReference.Name"/> plus <see cref="SymbolReference.ValueOffset"/>: a <c>__kconfig</c> value or a <c>__ksym</c> variable.</summary>
    Extern,
}

/// <summary>
/// A place in a program that names something only a loader can resolve: a map (by name, or by the object
/// the caller passed), global data, or an outside function. <see cref="Slot"/> is the kernel's instruction
/// index (64-bit loads count two), <see cref="Index"/> the index into <see cref="BpfProgram.Instructions"/>.
/// </summary>
public readonly record struct SymbolReference(int Index, int Slot, ReferenceKind Kind, string Name, object? Target = null, int ValueOffset = 0)
{
    /// <summary>The ELF relocation type that expresses this reference in an object or a listing.</summary>
    public BpfRelocationType RelocationType =>
        Kind is ReferenceKind.Call or ReferenceKind.Subprogram or ReferenceKind.Kfunc ? BpfRelocationType.R_BPF_64_32 : BpfRelocationType.R_BPF_64_64;
}
