using System.CommandLine;
using CpuMap.Managed.Bench.Harness;
using CpuMap.Managed.Bench.Redirect;
using CpuMap.Managed.Bench.Report;

// CpuMap.Managed.Bench: scripts/bench runs it in Release. Without a command it runs everything: the
// BenchmarkDotNet suite (managed beside C), the redirect throughput runs, and then writes the report.
var quick = new Option<bool>("--quick") { Description = "Run every benchmark once to check that it works; the timings mean nothing.", Recursive = true };
var filter = new Option<string?>("--filter")
{
    Description = "Run only the benchmark classes whose name contains this text (e.g. MapElem), print their tables and write no report.",
};
var artifacts = new Option<string>("--artifacts") { Description = "Where BenchmarkDotNet's logs, the raw results and the chart's data go.", DefaultValueFactory = _ => "bench/artifacts", Recursive = true };
var rounds = new Option<int>("--rounds")
{
    Description = "How many times the whole suite runs; each row's ratio is the median of the rounds' ratios (1 with --quick).",
    DefaultValueFactory = _ => 3,
};
rounds.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() < 1)
        result.AddError("--rounds must be 1 or more: each round runs the whole suite once.");
});
var docs = new Option<string>("--docs") { Description = "Where benchmarks.md and its chart are written.", DefaultValueFactory = _ => "docs", Recursive = true };

var root = new RootCommand("CpuMap.Managed's benchmarks: each managed operation beside its C twin, then the report.") { quick, filter, rounds, artifacts, docs };
root.SetAction(parse => Reported(() =>
{
    var artifactsPath = Path.GetFullPath(parse.GetValue(artifacts)!);
    var isQuick = parse.GetValue(quick);
    var classFilter = parse.GetValue(filter);
    var machine = MachineFacts.Read();
    var roundCount = isQuick ? 1 : parse.GetValue(rounds);
    // Before any timing: a managed row is only worth its ratio if it does what its C twin does.
    var twins = TwinCheck.Run(SuiteRunner.Matching(classFilter).Select(c => c.Class));
    foreach (var twin in twins)
        Console.WriteLine($"// twins {(twin.Agree ? "agree   " : "DISAGREE")} {twin.Row}: {twin.Managed} and {twin.Baseline}" +
                          (twin.Agree ? "" : $"\n//   managed left {twin.ManagedResult}\n//   C left       {twin.BaselineResult}"));
    if (twins.Any(t => !t.Agree))
    {
        Console.Error.WriteLine("cpumap-bench: a managed benchmark does not do what its C twin does (above); its timing would compare unequal work.");
        return 1;
    }
    var rows = SuiteRunner.Run(classFilter, isQuick, roundCount, artifactsPath, Console.Out);
    if (classFilter is not null)
    {
        foreach (var row in rows)
            Console.WriteLine($"// {row.Group,-28} {row.Implementation,-45} {row.MedianNs,12:F1} ns  × C {row.Ratio:F3} (BenchmarkDotNet), {row.InterleavedRatio:F3} (interleaved)  allocated {row.AllocatedBytes}");
        return 0;
    }
    var redirect = RedirectThroughput.Run(isQuick, Console.Out);
    var flowHash = FlowHashThroughput.Run(isQuick, Console.Out);
    Console.WriteLine("// cpumap-bench: profiling open + load + close (strace counts, JIT, allocations)");
    var load = LoadProfile.Measure(isQuick);
    var calls = CallProfile.Measure();
    var tpBtf = TpBtfLoad.Measure(isQuick, Console.Out);
    var results = new BenchResults(machine, isQuick, roundCount, rows, redirect, load, calls, twins, flowHash, tpBtf);
    results.Save(Path.Combine(artifactsPath, ResultsFileName));
    // A quick run's timings mean nothing: its report goes beside the artifacts, never over docs/.
    WriteReport(results, isQuick ? Path.Combine(artifactsPath, "quick-report") : parse.GetValue(docs)!, artifactsPath);
    return 0;
}));

var redirectCommand = new Command("redirect", "Only the redirect throughput runs (live frames, DSL against clang, alternated); prints them.");
redirectCommand.SetAction(parse => Reported(() =>
{
    var result = RedirectThroughput.Run(parse.GetValue(quick), Console.Out);
    Console.WriteLine($"median: DSL {result.MedianMpps(RedirectThroughput.Dsl):F2} Mpps, clang {result.MedianMpps(RedirectThroughput.Clang):F2} Mpps, " +
                      $"DSL / clang {result.MedianRatio:F3}; translated instructions: DSL {result.DslInstructions}, clang {result.ClangInstructions}");
    return 0;
}));
root.Subcommands.Add(redirectCommand);

var flowHashCommand = new Command("flow-hash", "Only the flow-hash runs (live frames: DSL with and without the indirection table against the clang-built C twin, alternated); prints them.");
flowHashCommand.SetAction(parse => Reported(() =>
{
    var result = FlowHashThroughput.Run(parse.GetValue(quick), Console.Out);
    foreach (var (name, instructions) in result.Instructions)
        Console.WriteLine($"// {name,-12} median {result.MedianMpps(name):F2} Mpps, {instructions} translated instructions");
    Console.WriteLine($"median ratios: DSL table / clang table {result.MedianRatio(FlowHashThroughput.DslTable, FlowHashThroughput.ClangTable):F3}, " +
                      $"DSL table / DSL no table {result.MedianRatio(FlowHashThroughput.DslTable, FlowHashThroughput.DslModulo):F3}");
    return 0;
}));
root.Subcommands.Add(flowHashCommand);

var tpBtfCommand = new Command("tp-btf", $"Only the whole-process tp_btf load beside bpftool ({TpBtfLoad.Script}, as root, with the published binary); prints it.");
tpBtfCommand.SetAction(parse => Reported(() =>
{
    var result = TpBtfLoad.Measure(parse.GetValue(quick), Console.Out);
    if (result.Skipped is { } reason)
    {
        Console.Error.WriteLine($"cpumap-bench: not measured: {reason}");
        return 1;
    }
    foreach (var verdict in Targets.TpBtf(result))
        PrintVerdict(verdict);
    return 0;
}));
root.Subcommands.Add(tpBtfCommand);

var reportCommand = new Command("report", $"Writes the report again from the results of the last full run ({ResultsFileName} in --artifacts).");
reportCommand.SetAction(parse => Reported(() =>
{
    var artifactsPath = Path.GetFullPath(parse.GetValue(artifacts)!);
    WriteReport(BenchResults.Read(Path.Combine(artifactsPath, ResultsFileName)), parse.GetValue(docs)!, artifactsPath);
    return 0;
}));
root.Subcommands.Add(reportCommand);

var benchmarkName = new Argument<string>("benchmark") { Description = "Class.Method, e.g. ObjectBenchmarks.OpenLoad_Managed." };
var mapValue = new Option<string?>("--map") { Description = "The class's Map parameter, e.g. HASH (classes that have one)." };
var count = new Option<int>("--count") { Description = "Invocations.", DefaultValueFactory = _ => 1000 };
count.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() < 1)
        result.AddError("--count must be 1 or more: it is how many times the method runs.");
});
var repeatCommand = new Command("repeat", "Runs one benchmark method many times without measuring it: for strace -c or perf record.")
{
    benchmarkName, mapValue, count,
};
repeatCommand.SetAction(parse => Reported(() =>
{
    Console.WriteLine(Repeat.Run(parse.GetValue(benchmarkName)!, parse.GetValue(mapValue), parse.GetValue(count)));
    return 0;
}));
root.Subcommands.Add(repeatCommand);

return root.Parse(args).Invoke();

// A wrong argument or a missing file is the user's to fix: say what and how, without a stack trace.
static int Reported(Func<int> action)
{
    try
    {
        return action();
    }
    catch (Exception e) when (e is ArgumentException or FileNotFoundException)
    {
        Console.Error.WriteLine($"cpumap-bench: {e.Message}");
        return 2;
    }
}

static void WriteReport(BenchResults results, string docsPath, string artifactsPath)
{
    const string chart = "benchmarks.png";
    Directory.CreateDirectory(docsPath);
    var verdicts = Targets.Evaluate(results);
    RatioChart.Draw(results, verdicts, Path.GetFullPath(Path.Combine(docsPath, chart)), artifactsPath);
    var markdown = Path.Combine(docsPath, "benchmarks.md");
    File.WriteAllText(markdown, MarkdownReport.Write(results, verdicts, chart));
    Console.WriteLine($"// wrote {markdown} and {Path.Combine(docsPath, chart)}");
    foreach (var v in verdicts)
        PrintVerdict(v);
}

static void PrintVerdict(TargetVerdict v) =>
    Console.WriteLine($"// {v.Verdict switch { Verdict.Met => "met   ", Verdict.WithinNoise => "NOISE ", _ => "MISSED" }} {v.Target} [{v.Subject}]: {v.Measured}");

internal static partial class Program
{
    private const string ResultsFileName = "results.json";
}
