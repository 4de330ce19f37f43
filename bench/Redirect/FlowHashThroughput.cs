using CpuMap.Managed.Loader;
using CpuMap.Managed.Programs;
using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Programs.Bytecode;
using CpuMap.Managed.Programs.Redirect;
using CpuMap.Managed.Programs.Remote;

namespace CpuMap.Managed.Bench.Redirect;

/// <summary>
/// Flow-hash throughput with live frames, alternated in one run as <see cref="RedirectThroughput"/> does: the DSL
/// flow-hash program with its indirection table, the same without the table (hash modulo the CPUs: the table
/// lookup's cost), and clang -O2's build of the C twin (tests/fixtures/src/flow_hash.c: same parsing, hash, table and
/// counters), on the same frame, CPUs, queue size and counting remote program.
/// </summary>
internal static class FlowHashThroughput
{
    internal const string DslTable = "DSL table", DslModulo = "DSL no table", ClangTable = "clang table";

    private const uint Qsize = CpuRedirect.DefaultQsize;

    internal static FlowHashResult Run(bool quick, TextWriter log)
    {
        var rounds = quick ? 1 : 6;
        var frames = quick ? 50_000u : 3_000_000u;
        var cpus = CpuList.Possible.ToArray();
        var frame = TestFrame.Build();

        using var counter = RemoteCpuCounter.Load(XdpAction.Drop);
        using var table = FlowHashRedirect.Load(buckets: 128);
        table.Configure(cpus, Qsize, counter.Program, cpus[0]);
        using var modulo = FlowHashRedirect.Load(buckets: null);
        modulo.Configure(cpus, Qsize, counter.Program, cpus[0]);
        var spec = BpfObjectSpec.Open(Path.Combine(AppContext.BaseDirectory, "fixtures", "flow_hash.o"));
        spec.Map("cpu_map").SetMaxEntriesToPossibleCpus();
        spec.Set("non_ip_cpu", (uint)cpus[0]);
        using var clang = spec.Load();
        var clangProgram = clang.GetProgram(FlowHashProgram.Name).Fd;
        using (var clangCpuMap = BpfCpuMap.Open(clang.GetMap("cpu_map").Fd))
        {
            foreach (var cpu in cpus)
                clangCpuMap.Set(cpu, Qsize, counter.Program);
        }
        var clangTable = clang.GetMap(FlowHashProgram.IndirectionTableMap).Fd;
        var spread = RssWeights.Assign([.. cpus.Select(c => new RssWeight(c, 1))], (int)clangTable.MaxEntries);
        for (var b = 0; b < spread.Length; b++)
            Bpf.MapUpdateElem(clangTable, (uint)b, (uint)spread[b]);

        var programs = new[] { (Name: DslTable, Fd: table.Program), (Name: ClangTable, Fd: clangProgram), (Name: DslModulo, Fd: modulo.Program) };
        foreach (var (_, fd) in programs)
            RedirectThroughput.Measure(fd, frame, frames / 10, counter);

        var runs = new List<RedirectRun>();
        for (var round = 1; round <= rounds; round++)
        {
            // A different program first each round: none always runs on the warmer machine.
            foreach (var (name, fd) in programs.Skip((round - 1) % programs.Length).Concat(programs.Take((round - 1) % programs.Length)))
            {
                var run = RedirectThroughput.Measure(fd, frame, frames, counter) with { Program = name, Round = round };
                log.WriteLine($"// flow-hash round {round}: {name,-12} {run.XdpMpps:F2} Mpps at the XDP program, {run.DeliveredMpps:F2} Mpps delivered");
                runs.Add(run);
            }
        }
        return new FlowHashResult(runs, programs.ToDictionary(p => p.Name, p => Bpf.ObjGetInfoByFd(p.Fd).XlatedProgLen / Bpf.InstructionSize));
    }
}
