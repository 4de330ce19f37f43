using BenchmarkDotNet.Attributes;
using CpuMap.Managed.Bench.Harness;
using CpuMap.Managed.Bench.Native;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Bench.Benchmarks;

/// <summary>
/// BPF_MAP_LOOKUP_BATCH (a walk over the whole map) and BPF_MAP_UPDATE_BATCH (every element in one
/// call), managed against C, and against the same work done one element per call. Times are per
/// element, so the rows compare directly.
/// </summary>
[MeasuredAs(JobKind.Standard)]
public unsafe class MapBatchBenchmarks : ITwinObservable
{
    private const int Elements = 256;

    private readonly uint[] _keys = GC.AllocateArray<uint>(Elements, pinned: true);
    private readonly ulong[] _values = GC.AllocateArray<ulong>(Elements, pinned: true);
    private readonly uint[] _keysOut = GC.AllocateArray<uint>(Elements, pinned: true);
    private readonly ulong[] _valuesOut = GC.AllocateArray<ulong>(Elements, pinned: true);
    private MapFd _map = null!;
    private int _fd;

    [Params("HASH", "ARRAY")]
    public string Map { get; set; } = "HASH";

    [GlobalSetup]
    public void Setup()
    {
        _map = Bpf.MapCreate(MapKinds.Parse(Map), sizeof(uint), sizeof(ulong), Elements, name: "bench_batch");
        _fd = _map.Fd;
        for (var i = 0; i < Elements; i++)
        {
            _keys[i] = (uint)i;
            _values[i] = (ulong)i * 3;
        }
        Bpf.MapUpdateBatch<uint, ulong>(_map, _keys, _values);
    }

    void ITwinObservable.Prepare(string method)
    {
        if (method.StartsWith("Lookup", StringComparison.Ordinal))
        {
            Array.Clear(_keysOut);
            Array.Clear(_valuesOut);
        }
        else
        {
            Bpf.MapUpdateBatch<uint, ulong>(_map, _keys, new ulong[Elements]);
        }
    }

    /// <summary>
    /// What a lookup read, as key=value in key order: a batch walks a HASH in bucket order and fills
    /// the keys, the one-call-per-element lookup reads key i into slot i.
    /// </summary>
    string ITwinObservable.Observe(string method)
    {
        var map = $"map {MapContents.Describe(_map)}";
        if (!method.StartsWith("Lookup", StringComparison.Ordinal))
            return map;
        var keys = method == nameof(LookupSingle_Managed) ? _keys : _keysOut;
        return map + "; read " + string.Join(' ', keys.Zip(_valuesOut).OrderBy(p => p.First).Select(p => $"{p.First}={p.Second}"));
    }

    [GlobalCleanup]
    public void Cleanup() => _map.Dispose();

    [Benchmark(Description = "C: BPF_MAP_LOOKUP_BATCH", Baseline = true, OperationsPerInvoke = Elements), BenchmarkCategory("batch lookup")]
    public int LookupBatch_C()
    {
        fixed (uint* keys = _keysOut)
        fixed (ulong* values = _valuesOut)
            return Expect(Baseline.Check(Baseline.MapLookupBatch(_fd, keys, values, Elements), "lookup batch"));
    }

    [Benchmark(Description = "Bpf.MapLookupBatch", OperationsPerInvoke = Elements), BenchmarkCategory("batch lookup")]
    public int LookupBatch_Managed()
    {
        var cursor = default(MapBatchCursor);
        var read = 0;
        while (!cursor.Done)
            read += Bpf.MapLookupBatch<uint, ulong>(_map, ref cursor, _keysOut, _valuesOut);
        return Expect(read);
    }

    [Benchmark(Description = "Bpf.MapLookupElem, one call per element", OperationsPerInvoke = Elements), BenchmarkCategory("batch lookup")]
    public int LookupSingle_Managed()
    {
        var found = 0;
        for (var key = 0u; key < Elements; key++)
            found += Bpf.MapLookupElem(_map, key, out _valuesOut[key]) ? 1 : 0;
        return Expect(found);
    }

    [Benchmark(Description = "C: BPF_MAP_UPDATE_BATCH", Baseline = true, OperationsPerInvoke = Elements), BenchmarkCategory("batch update")]
    public int UpdateBatch_C()
    {
        fixed (uint* keys = _keys)
        fixed (ulong* values = _values)
            return Baseline.Check(Baseline.MapUpdateBatch(_fd, keys, values, Elements), "update batch");
    }

    [Benchmark(Description = "Bpf.MapUpdateBatch", OperationsPerInvoke = Elements), BenchmarkCategory("batch update")]
    public void UpdateBatch_Managed() => Bpf.MapUpdateBatch<uint, ulong>(_map, _keys, _values);

    [Benchmark(Description = "Bpf.MapUpdateElem, one call per element", OperationsPerInvoke = Elements), BenchmarkCategory("batch update")]
    public void UpdateSingle_Managed()
    {
        for (var i = 0; i < Elements; i++)
            Bpf.MapUpdateElem(_map, _keys[i], _values[i]);
    }

    private static int Expect(int elements)
        => elements == Elements ? elements : throw new InvalidOperationException($"Read {elements} of the map's {Elements} elements.");
}
