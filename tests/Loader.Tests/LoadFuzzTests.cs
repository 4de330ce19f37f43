using CpuMap.Managed.Elf;

namespace CpuMap.Managed.Loader.Tests;

/// <summary>
/// `cpumap load` on damaged fixtures (the shared <see cref="ByteMutator"/>, fixed seeds). Most inputs go
/// through everything the loader does without a kernel: reading, global variables set from text as
/// --set does, program sections, kernel names, and linking each program with stand-in map fds (the
/// first bpf(2) call, BPF_MAP_CREATE, comes before the linker in a real load; here the linker gets its
/// turn on every input). A few hundred are loaded for real by the command.
/// </summary>
public sealed class LoadFuzzTests : IDisposable
{
    private const int KernelFreeInputs = 25_000;
    private const int KernelInputs = 500;

    // A mutant may declare a map of gigabytes; the kernel would try to allocate it. Such mutants are
    // drawn again: the real loads fuzz our code, not the test machine's memory.
    private const long MaxMapBytes = 16 << 20;

    private static readonly FuzzSeed[] Seeds = [.. Fixtures.Compilers.SelectMany(c => Fixtures.All
        .Select(n => FuzzSeed.Object($"{c}/{n}", File.ReadAllBytes(Fixtures.PathOf(c, n)))))];

    private static readonly string[] SetValues = ["1", "0", "-1", "0x10", "true", "4294967296", "0xffffffffffffffffff", "x", ""];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact(Timeout = 120_000)]
    public async Task Everything_before_the_kernel_reads_or_refuses_with_the_loaders_exceptions() =>
        await FuzzCampaign.RunAsync("cpumap load, before the kernel", 20261207, KernelFreeInputs, Mutant, input =>
        {
            BpfObjectSpec spec;
            try
            {
                spec = Fixtures.WithoutPinsByName(BpfObjectSpec.From(BpfObject.Parse(input.Bytes, "mutant.o")));
            }
            catch (BpfObjectException e) when (e.Message.Length > 0)
            {
                return FuzzOutcome.Rejected;
            }
            try
            {
                LoadWithoutKernel(spec, input.Set);
                return FuzzOutcome.Accepted;
            }
            catch (BpfLoadException e) when (e.Message.Length > 0)
            {
                return FuzzOutcome.Rejected;
            }
        }, TestContext.Current.CancellationToken);

    [Fact(Timeout = 300_000)]
    public async Task The_load_command_loads_or_refuses_in_one_line()
    {
        Kernel.RequireBpf();
        var path = Path.Combine(_dir.Path, "mutant.o");
        // Maps pinned by name (map_features' sized_hash) go to a folder of the test's own, removed with it.
        using var pinRoot = new BpfFsFolder();
        await FuzzCampaign.RunAsync("cpumap load, into the kernel", 20261208, KernelInputs, random =>
        {
            while (true)
            {
                var (input, how) = Mutant(random);
                if (FitsTheTestMachine(input.Bytes))
                {
                    File.WriteAllBytes(path, input.Bytes);
                    return (path, how);
                }
            }
        }, mutant =>
        {
            var (exit, output, error) = CpumapInProcess.Invoke("load", mutant, "--pin-root", pinRoot.Path);
            var outcome = CommandOutcome.Of(exit, error, "cpumap load: ", notePrefix: "cpumap load: warning: ", blockHeaders: ["Verifier log (last lines", "BTF log (last lines"]);
            if (outcome == FuzzOutcome.Accepted && !output.Contains("Closed on exit", StringComparison.Ordinal))
                throw new FuzzEscape($"exit code 0 without the tables: {output}");
            return outcome;
        }, TestContext.Current.CancellationToken, minShare: 0.02);
    }

    /// <summary>What <see cref="BpfObjectSpec.Load"/> and `cpumap load --set` do that needs no kernel.</summary>
    private static void LoadWithoutKernel(BpfObjectSpec spec, string set)
    {
        foreach (var (section, variable) in spec.Variables.All)
        {
            _ = spec.Variables.TypeNameOf(variable) + spec.Variables.Format(section, variable);
            if (variable.Name.Length == 0)
                continue;
            try
            {
                spec.Variables.SetFromString(variable.Name, set);
            }
            catch (Exception e) when (e is ArgumentException or FormatException && e.Message.Length > 0)
            {
                // what `cpumap load --set NAME=VALUE` reports as a bad value
            }
        }
        var fds = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var map in spec.Object.Maps)
        {
            _ = KernelObjectNames.ForKernel(map.Name);
            _ = MapCreator.MaxEntries(map.Type, map.MaxEntries);
            fds.TryAdd(map.Name, 3);
        }
        foreach (var data in spec.Object.GlobalData)
        {
            _ = KernelObjectNames.GlobalDataMap(spec.ObjectName, data.Name);
            if (data.Size > 0)
                fds.TryAdd(data.Name, 4 + spec.Variables.ValueOf(data).Length % 2);
        }
        _ = ObjectLicense.ForKernel(spec.Object.License);
        foreach (var program in spec.Object.Programs)
        {
            _ = spec.SectionOf(program);
            _ = KernelObjectNames.ForKernel(program.Name);
            ProgramLinker.Link(spec.Object, program, name => fds.TryGetValue(name, out var fd) ? fd
                : throw new BpfLoadException(spec.Object.Name, null, program.Name, $"it refers to map '{name}', which the object does not define"));
        }
    }

    private static bool FitsTheTestMachine(byte[] bytes)
    {
        try
        {
            return BpfObject.Parse(bytes, "mutant.o").Maps.All(m =>
                ((long)m.KeySize + m.ValueSize) * Math.Max(1, m.MaxEntries) * Environment.ProcessorCount <= MaxMapBytes
                && (m.InnerMap is not { } inner || ((long)inner.KeySize + inner.ValueSize) * inner.MaxEntries <= MaxMapBytes));
        }
        catch (BpfObjectException)
        {
            return true;
        }
    }

    private static ((byte[] Bytes, string Set) Input, string How) Mutant(Random random)
    {
        var seed = Seeds[random.Next(Seeds.Length)];
        var (bytes, how) = ByteMutator.Mutate(random, seed, Seeds[random.Next(Seeds.Length)]);
        var set = SetValues[random.Next(SetValues.Length)];
        return ((bytes, set), $"{seed.Name}: {how}; variables set to '{set}'");
    }
}
