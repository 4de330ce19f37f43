using CpuMap.Managed.Elf;

namespace CpuMap.Managed.Loader.Tests;

/// <summary>
/// What `cpumap load` does before the kernel, on damaged fixtures (the shared <see cref="ByteMutator"/>, fixed seeds):
/// reading, global variables set from text as --set does, program sections, kernel names, and linking each program
/// with stand-in map fds (the first bpf(2) call, BPF_MAP_CREATE, comes before the linker in a real load; here the
/// linker gets its turn on every input). The command's real loads are fuzzed in Cli.Tests' LoadFuzzTests.
/// </summary>
public sealed class LoadFuzzTests
{
    private const int KernelFreeInputs = 25_000;

    private static readonly FuzzSeed[] Seeds = FuzzSeed.EveryFixture();

    private static readonly string[] SetValues = ["1", "0", "-1", "0x10", "true", "4294967296", "0xffffffffffffffffff", "x", ""];

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

    private static ((byte[] Bytes, string Set) Input, string How) Mutant(Random random)
    {
        var seed = Seeds[random.Next(Seeds.Length)];
        var (bytes, how) = ByteMutator.Mutate(random, seed, Seeds[random.Next(Seeds.Length)]);
        var set = SetValues[random.Next(SetValues.Length)];
        return ((bytes, set), $"{seed.Name}: {how}; variables set to '{set}'");
    }
}
