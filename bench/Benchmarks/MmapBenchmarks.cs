using BenchmarkDotNet.Attributes;
using CpuMap.Managed.Bench.Harness;
using CpuMap.Managed.Bench.Native;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Bench.Benchmarks;

/// <summary>
/// Writing the values of a BPF_F_MMAPABLE ARRAY through a shared mapping of the map (plain
/// stores: no system call), in C and in C#, against BPF_MAP_UPDATE_ELEM on the same map. Times
/// are per element written.
/// </summary>
[MeasuredAs(JobKind.Standard)]
public unsafe class MmapBenchmarks : ITwinObservable
{
    /// <summary>A power of two (the stores wrap with a mask) that fills exactly one 4 KiB page of u32.</summary>
    private const uint Entries = 1024;
    private const int Stores = 16384;
    private const int Updates = 64;

    private MapFd _map = null!;
    private Mmap _mapping = null!;
    private uint _key = 5;
    private uint _value = 9;

    /// <summary>One value only: it names the rows like those of the other map benchmarks.</summary>
    [Params("ARRAY (BPF_F_MMAPABLE)")]
    public string Map { get; set; } = "ARRAY (BPF_F_MMAPABLE)";

    [GlobalSetup]
    public void Setup()
    {
        _map = Bpf.MapCreate(BpfMapType.Array, sizeof(uint), sizeof(uint), Entries, BpfMapFlags.Mmapable, name: "bench_mmap");
        _mapping = Mmap.Map(_map);
    }

    /// <summary>Every value zero first, so that what the writes store shows.</summary>
    void ITwinObservable.Prepare(string method) => new Span<uint>(_mapping.Address, (int)Entries).Clear();

    string ITwinObservable.Observe(string method) => $"map {MapContents.Describe(_map)}";

    [GlobalCleanup]
    public void Cleanup()
    {
        _mapping.Dispose();
        _map.Dispose();
    }

    [Benchmark(Description = "C: stores through the mapping", Baseline = true, OperationsPerInvoke = Stores), BenchmarkCategory("write")]
    public void MmapWrite_C() => Baseline.MmapWrite((uint*)_mapping.Address, Entries, Stores);

    [Benchmark(Description = "C#: stores through the mapping (Span<uint>)", OperationsPerInvoke = Stores), BenchmarkCategory("write")]
    public void MmapWrite_Managed()
    {
        var values = new Span<uint>(_mapping.Address, (int)Entries);
        for (var i = 0; i < Stores; i++)
            values[i & (int)(Entries - 1)] = (uint)i;
    }

    [Benchmark(Description = "C: BPF_MAP_UPDATE_ELEM", OperationsPerInvoke = Updates), BenchmarkCategory("write")]
    public int SyscallUpdate_C()
    {
        fixed (uint* key = &_key)
        fixed (uint* value = &_value)
            return Baseline.Check(Baseline.MapUpdate(_map.Fd, key, value, (ulong)BpfUpdateFlags.Any, Updates), "update");
    }

    [Benchmark(Description = "Bpf.MapUpdateElem", OperationsPerInvoke = Updates), BenchmarkCategory("write")]
    public void SyscallUpdate_Managed()
    {
        for (var i = 0; i < Updates; i++)
            Bpf.MapUpdateElem(_map, _key, _value);
    }
}
