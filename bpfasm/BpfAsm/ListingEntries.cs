namespace BpfAsm;

/// <summary>A function symbol in a program section: its name and byte offset (for jump annotations and headers).</summary>
public readonly record struct ListingSymbol(string Name, long Offset);

/// <summary>A relocation in a program section: the byte offset of the instruction it patches, its type and symbol name.</summary>
public readonly record struct ListingRelocation(long Offset, BpfRelocationType Type, string Symbol);
