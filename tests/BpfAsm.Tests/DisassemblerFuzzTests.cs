using BpfAsm.Cli;
using CpuMap.Managed.Testing;

namespace BpfAsm.Tests;

/// <summary>
/// `bpfasm dis` on damaged input (the shared <see cref="ByteMutator"/>, fixed seeds): raw instruction
/// bytes with --raw, and whole objects. It prints a listing, or exits 1 with one line: the
/// disassembler's <see cref="InvalidInstructionException"/> or the reader's BpfObjectException, never another.
/// </summary>
public sealed class DisassemblerFuzzTests : IDisposable
{
    private static readonly string[][] Options = [[], ["--alu32"], ["--lossless"], ["--no-show-raw-insn"], ["-r"]];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact(Timeout = 120_000)]
    public async Task Dis_raw_lists_or_refuses_in_one_line()
    {
        var seeds = FuzzInputs.InstructionSeeds();
        var path = Path.Combine(_dir.Path, "mutant.bin");
        await FuzzCampaign.RunAsync("bpfasm dis --raw", 20261209, 15_000, random =>
        {
            var seed = seeds[random.Next(seeds.Length)];
            var (bytes, how) = ByteMutator.Mutate(random, seed, seeds[random.Next(seeds.Length)]);
            File.WriteAllBytes(path, bytes);
            var options = Options[random.Next(Options.Length - 1)];
            return (options, $"{seed.Name}: {how}; {string.Join(' ', options)}");
        }, options => Dis(["dis", "--raw", .. options, path]), TestContext.Current.CancellationToken);
    }

    [Fact(Timeout = 120_000)]
    public async Task Dis_of_an_object_lists_or_refuses_in_one_line()
    {
        var seeds = FuzzInputs.ObjectSeeds();
        var path = Path.Combine(_dir.Path, "mutant.o");
        await FuzzCampaign.RunAsync("bpfasm dis", 20261210, 8_000, random =>
        {
            var seed = seeds[random.Next(seeds.Length)];
            var (bytes, how) = ByteMutator.Mutate(random, seed, seeds[random.Next(seeds.Length)]);
            File.WriteAllBytes(path, bytes);
            var options = Options[random.Next(Options.Length)];
            return (options, $"{seed.Name}: {how}; {string.Join(' ', options)}");
        }, options => Dis(["dis", .. options, path]), TestContext.Current.CancellationToken);
    }

    private static FuzzOutcome Dis(string[] args)
    {
        var error = new StringWriter();
        var exitCode = BpfAsmCommand.Run(args, TextWriter.Null, error);
        return CommandOutcome.Of(exitCode, error.ToString(), "bpfasm: error: ");
    }
}
