using BenchmarkDotNet.Attributes;
using CpuMap.Managed.Bench.Harness;
using CpuMap.Managed.Bench.Native;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Bench.Benchmarks;

/// <summary>
/// BPF_MAP_DELETE_ELEM of present elements of a HASH: every iteration first puts the elements
/// back (not measured), then deletes them one call at a time. ARRAY and PERCPU_ARRAY have no row:
/// their slots always exist and the kernel answers every delete with EINVAL.
/// </summary>
[MeasuredAs(JobKind.OneInvocationPerIteration)]
public class HashDeleteBenchmarks : ITwinObservable
{
    private const int Elements = 512;

    private readonly uint[] _keys = Enumerable.Range(0, Elements).Select(k => (uint)k).ToArray();
    private readonly ulong[] _values = new ulong[Elements];
    private MapFd _map = null!;

    /// <summary>One value only: it names the rows like those of the other map benchmarks.</summary>
    [Params("HASH")]
    public string Map { get; set; } = "HASH";

    [GlobalSetup]
    public void Setup() => _map = Bpf.MapCreate(BpfMapType.Hash, sizeof(uint), sizeof(ulong), 1024, name: "bench_delete");

    /// <summary>The iteration setup has put every element back; the deletes must leave the map empty.</summary>
    void ITwinObservable.Prepare(string method)
    {
    }

    string ITwinObservable.Observe(string method) => $"map {MapContents.Describe(_map)}";

    [GlobalCleanup]
    public void Cleanup() => _map.Dispose();

    [IterationSetup]
    public void Refill() => Bpf.MapUpdateBatch<uint, ulong>(_map, _keys, _values);

    [Benchmark(Description = "C: raw bpf(2)", Baseline = true, OperationsPerInvoke = Elements), BenchmarkCategory("delete")]
    public int Delete_C() => Baseline.Check(Baseline.MapDeleteRange(_map.Fd, 0, Elements), "delete");

    [Benchmark(Description = "Bpf.MapDeleteElem", OperationsPerInvoke = Elements), BenchmarkCategory("delete")]
    public int Delete_Managed()
    {
        var deleted = 0;
        for (var key = 0u; key < Elements; key++)
            deleted += Bpf.MapDeleteElem(_map, key) ? 1 : 0;
        return deleted == Elements ? deleted : throw new InvalidOperationException($"Deleted {deleted} of {Elements} elements.");
    }
}
