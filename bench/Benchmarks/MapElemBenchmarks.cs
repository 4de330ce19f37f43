using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using CpuMap.Managed.Bench.Harness;
using CpuMap.Managed.Bench.Native;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Bench.Benchmarks;

/// <summary>
/// BPF_MAP_LOOKUP_ELEM and BPF_MAP_UPDATE_ELEM of one present element, managed against raw
/// bpf(2) from C on the same map fd. ARRAY and HASH go through the typed generic calls,
/// PERCPU_ARRAY through the span calls (its value is one 8-byte slot per possible CPU, a size
/// known only at run time).
/// </summary>
[MeasuredAs(JobKind.Standard)]
public unsafe class MapElemBenchmarks : ITwinObservable
{
    /// <summary>Calls per invocation, on both sides: C loops inside C, so it pays no transition per call.</summary>
    private const int Calls = 64;

    private uint _key = 7;
    private ulong _value = 42;
    private MapFd _map = null!;
    private bool _perCpu;
    private byte[] _values = [];

    [Params("ARRAY", "PERCPU_ARRAY", "HASH")]
    public string Map { get; set; } = "ARRAY";

    private ReadOnlySpan<byte> KeyBytes => MemoryMarshal.AsBytes(new ReadOnlySpan<uint>(in _key));

    [GlobalSetup]
    public void Setup()
    {
        _map = Bpf.MapCreate(MapKinds.Parse(Map), sizeof(uint), sizeof(ulong), 1024, name: "bench_elem");
        _perCpu = MapFd.IsPerCpu(_map.Type);
        _values = GC.AllocateArray<byte>((int)_map.ValueBufferSize, pinned: true);
        _values.AsSpan().Fill(0x2a);
        // The typed calls write _value and the C twin writes _values: the same bytes, so both do the same work.
        _value = BitConverter.ToUInt64(_values);
        Bpf.MapUpdateElem(_map, KeyBytes, _values);
    }

    void ITwinObservable.Prepare(string method)
    {
        if (method.StartsWith("Lookup", StringComparison.Ordinal))
        {
            _values.AsSpan().Clear();
            _value = 0;
        }
        else
        {
            Bpf.MapUpdateElem(_map, KeyBytes, new byte[_values.Length]);
        }
    }

    string ITwinObservable.Observe(string method)
    {
        var read = method == nameof(Lookup_Managed) && !_perCpu ? MapContents.Hex(new ReadOnlySpan<ulong>(in _value)) : MapContents.Hex<byte>(_values);
        return $"map {MapContents.Describe(_map)}" + (method.StartsWith("Lookup", StringComparison.Ordinal) ? $"; read {read}" : "");
    }

    [GlobalCleanup]
    public void Cleanup() => _map.Dispose();

    [Benchmark(Description = "C: raw bpf(2)", Baseline = true, OperationsPerInvoke = Calls), BenchmarkCategory("lookup")]
    public int Lookup_C()
    {
        fixed (uint* key = &_key)
        fixed (byte* value = _values)
            return Baseline.Check(Baseline.MapLookup(_map.Fd, key, value, Calls), "lookup");
    }

    [Benchmark(Description = "Bpf.MapLookupElem", OperationsPerInvoke = Calls), BenchmarkCategory("lookup")]
    public bool Lookup_Managed()
    {
        var found = true;
        if (_perCpu)
        {
            for (var i = 0; i < Calls; i++)
                found &= Bpf.MapLookupElem(_map, KeyBytes, _values);
        }
        else
        {
            for (var i = 0; i < Calls; i++)
                found &= Bpf.MapLookupElem(_map, _key, out _value);
        }
        return found;
    }

    [Benchmark(Description = "C: raw bpf(2)", Baseline = true, OperationsPerInvoke = Calls), BenchmarkCategory("update")]
    public int Update_C()
    {
        fixed (uint* key = &_key)
        fixed (byte* value = _values)
            return Baseline.Check(Baseline.MapUpdate(_map.Fd, key, value, (ulong)BpfUpdateFlags.Any, Calls), "update");
    }

    [Benchmark(Description = "Bpf.MapUpdateElem", OperationsPerInvoke = Calls), BenchmarkCategory("update")]
    public void Update_Managed()
    {
        if (_perCpu)
        {
            for (var i = 0; i < Calls; i++)
                Bpf.MapUpdateElem(_map, KeyBytes, _values);
        }
        else
        {
            for (var i = 0; i < Calls; i++)
                Bpf.MapUpdateElem(_map, _key, _value);
        }
    }
}
