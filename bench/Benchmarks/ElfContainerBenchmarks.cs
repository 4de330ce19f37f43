using BenchmarkDotNet.Attributes;
using CpuMap.Managed.Bench.Harness;
using CpuMap.Managed.Elf.ElfFormat;
using ELFSharp.ELF;
using ELFSharp.ELF.Sections;

namespace CpuMap.Managed.Bench.Benchmarks;

/// <summary>
/// The ELF container of round_robin.o (header, 31 section headers with their names, 21 symbols), read
/// the two ways issue 14 weighs: ELFSharp, trusted (its load, then every section's name, type, flags and
/// extent and every symbol's fields, as a wrapped-ELFSharp reader would take them), against the project's
/// own reader (<see cref="ElfImage.Read"/>), which also checks every offset and name it reads. ELFSharp
/// alone is the floor of any reader built on it; the decision and its numbers are in docs/elf.md.
/// </summary>
[MeasuredAs(JobKind.Standard)]
public class ElfContainerBenchmarks
{
    private byte[] _bytes = [];

    [GlobalSetup]
    public void Setup() => _bytes = File.ReadAllBytes(Fixtures.RoundRobinObject);

    /// <summary>What the reader built on ELFSharp took from it: every section's header fields and
    /// every symbol's, by index (its <c>Sections</c> and <c>Entries</c> are lists).</summary>
    [Benchmark(Description = "ELFSharp: ELFReader.Load, sections and symbols", Baseline = true), BenchmarkCategory("ELF container")]
    public ulong Container_ElfSharp()
    {
        using var elf = ELFReader.Load<ulong>(new MemoryStream(_bytes, writable: false), shouldOwnStream: true);
        var sections = elf.Sections;
        ulong sum = 0;
        for (var i = 0; i < sections.Count; i++)
        {
            var section = sections[i];
            sum += (ulong)section.Name.Length + (uint)section.Type + section.RawFlags + section.Offset + section.Size + section.Alignment + section.EntrySize;
            if (section is not SymbolTable<ulong> table)
                continue;
            var entries = (IReadOnlyList<SymbolEntry<ulong>>)table.Entries;
            for (var j = 0; j < entries.Count; j++)
            {
                var entry = entries[j];
                sum += (ulong)entry.Name.Length + entry.Value + entry.Size + (uint)entry.Binding + (uint)entry.Type + (uint)entry.Visibility + entry.PointedSectionIndex;
            }
        }
        return sum;
    }

    [Benchmark(Description = "ElfImage.Read"), BenchmarkCategory("ELF container")]
    public int Container_Managed() => ElfImage.Read(_bytes, Fixtures.RoundRobinName).Symbols.Length;
}
