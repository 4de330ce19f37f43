using BenchmarkDotNet.Attributes;
using BpfAsm;
using CpuMap.Managed.Bench.Harness;
using CpuMap.Managed.Bench.Native;
using CpuMap.Managed.Elf;
using CpuMap.Managed.Loader;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Programs.Redirect;

namespace CpuMap.Managed.Bench.Benchmarks;

/// <summary>
/// Whole-object work on the clang-compiled round-robin object (tests/fixtures/obj/clang19/round_robin.o:
/// two programs, four maps, .rodata): ELF parse only and open + load + close, each against libbpf in
/// the same process; the DSL round-robin program built and loaded with its maps; and disassembly
/// of the object's programs, which have no C twin here.
/// </summary>
[MeasuredAs(JobKind.Standard)]
public unsafe class ObjectBenchmarks
{
    private byte[] _bytes = [];
    private BpfObject _parsed = null!;

    [GlobalSetup]
    public void Setup()
    {
        Baseline.LibbpfSilence();
        _bytes = GC.AllocateArray<byte>((int)new FileInfo(Fixtures.RoundRobinObject).Length, pinned: true);
        File.ReadAllBytes(Fixtures.RoundRobinObject).CopyTo(_bytes, 0);
        _parsed = BpfObject.Parse(_bytes, Fixtures.RoundRobinName);
    }

    [Benchmark(Description = "libbpf: bpf_object__open_mem + close", Baseline = true), BenchmarkCategory("ELF parse")]
    public int Parse_libbpf()
    {
        fixed (byte* bytes = _bytes)
            return Baseline.Check(Baseline.LibbpfOpenMemClose(bytes, (nuint)_bytes.Length, 1), "bpf_object__open_mem");
    }

    [Benchmark(Description = "BpfObject.Parse"), BenchmarkCategory("ELF parse")]
    public BpfObject Parse_Managed() => BpfObject.Parse(_bytes, Fixtures.RoundRobinName);

    [Benchmark(Description = "libbpf: bpf_object__open_file + load + close", Baseline = true), BenchmarkCategory("open + load + close")]
    public int OpenLoad_libbpf() => Baseline.Check(Baseline.LibbpfOpenLoadClose(Fixtures.RoundRobinObject, 1), "bpf_object__open_file + load");

    [Benchmark(Description = "BpfObjectSpec.Open + Load + Dispose"), BenchmarkCategory("open + load + close")]
    public int OpenLoad_Managed()
    {
        using var collection = BpfObjectSpec.Open(Fixtures.RoundRobinObject).Load();
        return collection.Programs.Count;
    }

    [Benchmark(Description = "RoundRobinRedirect.Load + Dispose"), BenchmarkCategory("DSL build + load")]
    public int DslBuildLoad_Managed()
    {
        using var redirect = RoundRobinRedirect.Load();
        return redirect.Instructions!.SlotCount;
    }

    [Benchmark(Description = "Disassembler.Disassemble, both programs"), BenchmarkCategory("disassembly")]
    public int Disassemble_Managed()
    {
        var length = 0;
        foreach (var program in _parsed.Programs)
            length += Disassembler.Disassemble(_parsed.Sections[program.SectionIndex].Data.Span.Slice(program.Offset, program.InstructionCount * Instruction.SlotSize),
                symbols: [new ListingSymbol(program.Name, 0)]).Length; // from the bytes, as llvm-objdump does: decoding included
        return length;
    }
}
