namespace CpuMap.Managed.Bench.Harness;

/// <summary>The report's sections, in order.</summary>
internal static class Sections
{
    internal const string MapOperations = "Map operations, one element per call";
    internal const string Batch = "Batch operations against one call per element";
    internal const string Mmap = "Writes through a memory-mapped array against update calls";
    internal const string Objects = "Objects: parse, load, build, disassemble";

    internal static IReadOnlyList<string> All { get; } = [MapOperations, Batch, Mmap, Objects];
}
