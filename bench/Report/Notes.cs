using CpuMap.Managed.Bench.Harness;

namespace CpuMap.Managed.Bench.Report;

/// <summary>The fixed text of the report: what each section's rows do, and how everything is measured.</summary>
internal static class Notes
{
    internal static string ForSection(string section) => section switch
    {
        Sections.MapOperations =>
            "One call on one present element, 4-byte key and 8-byte value, on the same map fd for both twins. The C twin loops " +
            "inside C, so no managed-to-native transition is counted against it; the managed rows pay one per call. ARRAY and " +
            "PERCPU_ARRAY have no delete row: their slots always exist and the kernel answers every delete with EINVAL. HASH delete " +
            "removes 512 present elements, put back before each iteration. The CPUMAP rows call the typed `BpfCpuMap` (with its " +
            "argument checks); each update starts a kernel thread for the entry; the delete row is one invocation that removes the " +
            "entry of every possible CPU (the only keys that can be set).",
        Sections.Batch =>
            "A map of 256 elements, read whole with `BPF_MAP_LOOKUP_BATCH` (room for all 256) or written with one " +
            "`BPF_MAP_UPDATE_BATCH`; the single-call rows do the same work one call per element. Times are per element, and × C " +
            "divides by the C batch.",
        Sections.Mmap =>
            "A `BPF_F_MMAPABLE` ARRAY of 1024 u32 (one page), mapped shared into the process: a store is an update that no system " +
            "call sees, and a BPF program reads it at once. Times are per element written; × C divides by C's stores through the mapping.",
        Sections.Objects =>
            "tests/fixtures/obj/clang19/round_robin.o (clang 19 -O2 -g: two programs, four maps and .rodata). ELF parse: bytes in memory " +
            "to a parsed object. Open + load + close: from the file to loaded maps and programs and back, in the steady state after the " +
            "first load in the process. The DSL row builds `RoundRobinProgram`, creates its four maps and loads it; disassembly prints " +
            "both programs of the parsed object as `llvm-objdump -d` does. These two have no C twin. ELF container: the header, " +
            "section headers and symbols alone; its twin is ELFSharp (load, then every field read), not C, so its × C columns " +
            "divide by ELFSharp (docs/elf.md has why the project reads the container itself).",
        _ => throw new ArgumentOutOfRangeException(nameof(section), section, "Not a report section; see Sections.All."),
    };

    internal static IReadOnlyList<string> Method(int rounds) =>
    [
        $"BenchmarkDotNet, benchmarks run in-process (the in-process emit toolchain). The whole suite runs " +
        (rounds == 1 ? "once" : $"{rounds} times over (rounds)") + "; a row's time is the median of its rounds' medians, and its × C is the median of its rounds' " +
        "ratios, each of two rows measured back to back, which survives the drift between rounds. Two jobs: *standard* " +
        "(1 launch, 3 warmup and 15 measured iterations of about 100 ms each) and, for the CPUMAP and delete rows, " +
        "*one-invocation* (3 warmup and 30 measured iterations of one invocation each, after an `[IterationSetup]` where one is needed).",
        "Twins run one right after the other, C first: each C twin is the `Baseline` of its `BenchmarkCategory`.",
        "After the rounds, every row with a C twin is measured once more, interleaved: one invocation of the twin, one of the " +
        "row, on the same instance (the same map fds), 101 times; the median of the 101 ratios is the interleaved ratio, which " +
        "the verdicts and the chart use. Two invocations milliseconds apart see the same machine, which two BenchmarkDotNet runs " +
        "seconds apart on a shared VM do not.",
        "The C twin (bench/native/*.c) is built with the machine's gcc at -O2 and called through `[LibraryImport]`; each call " +
        "repeats its operation inside C, so the C rows pay no managed-to-native transition per operation. It rebuilds the " +
        "`union bpf_attr` on every call, as libbpf's own wrappers do.",
        "Allocated is what the managed call allocated per operation on the calling thread (`GC.GetAllocatedBytesForCurrentThread()` " +
        "around the benchmark method alone, after two warm-up invocations). BenchmarkDotNet's memory diagnoser is on too (its " +
        "numbers are in bench/artifacts), but it counts the whole process, so in invocations of milliseconds it also counts what " +
        "the runtime's own threads allocate meanwhile, even on the C rows.",
        "Redirect throughput and the load profile are not BenchmarkDotNet benchmarks: they are steps of the same program. " +
        "`CpuMap.Managed.Bench repeat <Class.Method>` runs any benchmark method in a loop without measuring, for strace and perf.",
    ];
}
