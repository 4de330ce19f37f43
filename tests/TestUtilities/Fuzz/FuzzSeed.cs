namespace CpuMap.Managed.Testing;

/// <summary>
/// An input the mutators start from (a fixture object, a .BTF blob, a program's instructions), with the
/// byte ranges worth aiming at: the parts a decoder reads, rather than DWARF it skips.
/// </summary>
public sealed record FuzzSeed(string Name, byte[] Bytes, (int Offset, int Length)[] Regions)
{
    /// <summary>A seed whose every byte is worth aiming at.</summary>
    public static FuzzSeed Whole(string name, byte[] bytes) => new(name, bytes, [(0, bytes.Length)]);

    /// <summary>A fixture object, aimed at its ELF header, section table and the sections a reader decodes.</summary>
    public static FuzzSeed Object(string name, byte[] bytes) => new(name, bytes, ElfRegions.Of(bytes));

    /// <summary>Every compiled fixture (<see cref="Fixtures.All"/>, both compilers), named compiler/fixture.</summary>
    public static FuzzSeed[] EveryFixture() =>
        [.. Fixtures.Compilers.SelectMany(c => Fixtures.All.Select(n => Object($"{c}/{n}", File.ReadAllBytes(Fixtures.PathOf(c, n)))))];
}
