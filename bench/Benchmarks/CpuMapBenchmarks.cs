using BenchmarkDotNet.Attributes;
using CpuMap.Managed.Bench.Harness;
using CpuMap.Managed.Bench.Native;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Maps;

namespace CpuMap.Managed.Bench.Benchmarks;

/// <summary>
/// The typed <see cref="BpfCpuMap"/> (with its argument checks) against raw bpf(2) from C on the
/// same CPUMAP. An update starts a kernel thread for the entry (tens of microseconds, with a long
/// tail), so this class has a job of its own: one invocation per iteration, many iterations.
/// </summary>
[MeasuredAs(JobKind.OneInvocationPerIteration)]
public unsafe class CpuMapBenchmarks : ITwinObservable
{
    private const int Lookups = 256;
    private const int Updates = 16;
    private const uint Qsize = 2048;

    private BpfCpuMap _cpuMap = null!;
    private int _fd;
    private int _cpu;
    private uint _key;
    private BpfCpumapVal _value;
    private BpfCpumapVal _read;
    private uint _readQsize;
    private int[] _possible = [];

    /// <summary>One value only: it names the rows like those of the other map benchmarks.</summary>
    [Params("CPUMAP")]
    public string Map { get; set; } = "CPUMAP";

    [GlobalSetup]
    public void Setup()
    {
        _cpuMap = BpfCpuMap.Create(name: "bench_cpumap");
        _fd = _cpuMap.Fd.Fd;
        _possible = CpuList.Possible.ToArray();
        // The delete benchmark deletes the keys 0..n-1 in C; that is every possible CPU only without holes.
        if (_possible[^1] != _possible.Length - 1)
            throw new InvalidOperationException($"The possible CPUs ({CpuList.Possible}) have holes; the CPUMAP delete benchmark needs 0..n-1.");
        _cpu = _possible[^1];
        _key = (uint)_cpu;
        _value = new BpfCpumapVal { Qsize = Qsize, BpfProgFd = -1 };
        _cpuMap.Set(_cpu, Qsize);
    }

    /// <summary>Updates start from a smaller queue, so that setting <see cref="Qsize"/> shows.</summary>
    void ITwinObservable.Prepare(string method)
    {
        if (method.StartsWith("Update", StringComparison.Ordinal))
            _cpuMap.Set(_cpu, Qsize / 2);
    }

    string ITwinObservable.Observe(string method)
        => $"map {MapContents.Describe(_cpuMap.Fd)}" + method switch
        {
            nameof(Lookup_C) => $"; read qsize {_read.Qsize}",
            nameof(Lookup_Managed) => $"; read qsize {_readQsize}",
            _ => "",
        };

    [GlobalCleanup]
    public void Cleanup() => _cpuMap.Dispose();

    [IterationSetup(Targets = [nameof(Delete_C), nameof(Delete_Managed)])]
    public void SetEveryCpu()
    {
        foreach (var cpu in _possible)
            _cpuMap.Set(cpu, Qsize);
    }

    [Benchmark(Description = "C: raw bpf(2)", Baseline = true, OperationsPerInvoke = Lookups), BenchmarkCategory("lookup")]
    public int Lookup_C()
    {
        fixed (uint* key = &_key)
        fixed (BpfCpumapVal* value = &_read)
            return Baseline.Check(Baseline.MapLookup(_fd, key, value, Lookups), "lookup");
    }

    [Benchmark(Description = "BpfCpuMap.TryGet", OperationsPerInvoke = Lookups), BenchmarkCategory("lookup")]
    public uint Lookup_Managed()
    {
        for (var i = 0; i < Lookups; i++)
            _readQsize = _cpuMap.TryGet(_cpu, out var entry) ? entry.Qsize : 0;
        return _readQsize;
    }

    [Benchmark(Description = "C: raw bpf(2)", Baseline = true, OperationsPerInvoke = Updates), BenchmarkCategory("update")]
    public int Update_C()
    {
        fixed (uint* key = &_key)
        fixed (BpfCpumapVal* value = &_value)
            return Baseline.Check(Baseline.MapUpdate(_fd, key, value, (ulong)BpfUpdateFlags.Any, Updates), "update");
    }

    [Benchmark(Description = "BpfCpuMap.Set", OperationsPerInvoke = Updates), BenchmarkCategory("update")]
    public void Update_Managed()
    {
        for (var i = 0; i < Updates; i++)
            _cpuMap.Set(_cpu, Qsize);
    }

    // Only as many entries as possible CPUs can be set, so each iteration deletes just those.
    [Benchmark(Description = "C: raw bpf(2), every possible CPU", Baseline = true), BenchmarkCategory("delete")]
    public int Delete_C() => Baseline.Check(Baseline.MapDeleteRange(_fd, 0, _possible.Length), "delete");

    [Benchmark(Description = "BpfCpuMap.Remove, every possible CPU"), BenchmarkCategory("delete")]
    public void Delete_Managed()
    {
        foreach (var cpu in _possible)
            _cpuMap.Remove(cpu);
    }
}
