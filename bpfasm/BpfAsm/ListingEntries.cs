namespace BpfAsm;

/// <summary>A function symbol in a program section: its name and byte offset (for jump annotations and headers).</summary>
public readonly record struct ListingSymbol(string Name, long Offset);

/// <summary>
/// A relocation in a program section: the byte offset of the instruction it patches, its type and symbol name; or,
/// with <paramref name="Text"/>, a relocation that is not an ELF one (a CO-RE record of .BTF.ext), listed as that text.
/// </summary>
public readonly record struct ListingRelocation(long Offset, BpfRelocationType Type, string Symbol, string? Text = null);
