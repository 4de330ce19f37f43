namespace CpuMap.Managed.Bench.Harness;

/// <summary>
/// One benchmark's result over every round of a run, reduced to what the report needs. Times are
/// per operation (per element for batch and memory-mapped writes).
/// </summary>
/// <param name="Section">The part of the report the row belongs in.</param>
/// <param name="Group">What is measured, e.g. "ARRAY lookup": twins share it.</param>
/// <param name="Implementation">Who does it, e.g. "C: raw bpf(2)" or "Bpf.MapLookupElem".</param>
/// <param name="Benchmark">The benchmark method, "Class.Method".</param>
/// <param name="Map">The class's Map parameter, or null.</param>
/// <param name="IsBaseline">The C twin the other rows of the group are divided by.</param>
/// <param name="IsManaged">Code of this project (rather than C or a reference row).</param>
/// <param name="MedianNs">The median over rounds of each round's median nanoseconds per operation.</param>
/// <param name="RoundMediansNs">Each round's median, in the order of the rounds.</param>
/// <param name="Ratio">
/// The median over rounds of this row's median divided by its C twin's in the same round, or
/// null for a twin itself and rows without one. Each round's twins ran back to back, so this
/// survives the drift between rounds better than a ratio of overall medians.
/// </param>
/// <param name="InterleavedRatio">
/// The ratio to the C twin measured with the two invocations interleaved (see <see cref="PairedRatios"/>), or null.
/// </param>
/// <param name="AllocatedBytes">Bytes the calling thread allocated per operation (managed rows), else null.</param>
public sealed record MeasuredRow(
    string Section,
    string Group,
    string Implementation,
    string Benchmark,
    string? Map,
    bool IsBaseline,
    bool IsManaged,
    double MedianNs,
    IReadOnlyList<double> RoundMediansNs,
    double? Ratio,
    double? InterleavedRatio,
    double? AllocatedBytes);
