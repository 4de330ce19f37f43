using BpfAsm.Cli;
using CpuMap.Managed.Testing;

namespace BpfAsm.Tests;

/// <summary>
/// `bpfasm asm` on damaged listings (the shared <see cref="TextMutator"/>, fixed seed): it writes the
/// bytes, or exits 1 with the one-line "file:line:column: error:" of an <see cref="AssemblyException"/>.
/// What it writes must decode again: the assembler never emits an instruction the disassembler refuses.
/// </summary>
public sealed class AssemblerFuzzTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact(Timeout = 120_000)]
    public async Task Asm_assembles_or_refuses_in_one_line()
    {
        var listings = FuzzInputs.Listings();
        var tokens = TextMutator.Tokens(listings);
        var source = Path.Combine(_dir.Path, "mutant.s");
        var binary = Path.Combine(_dir.Path, "mutant.bin");
        await FuzzCampaign.RunAsync("bpfasm asm", 20261211, 15_000, random =>
        {
            var listing = random.Next(listings.Length);
            var (text, how) = TextMutator.Mutate(random, listings[listing], tokens);
            File.WriteAllText(source, text);
            return (source, $"listing {listing}: {how}");
        }, path =>
        {
            var error = new StringWriter();
            var exitCode = BpfAsmCommand.Run(["asm", path, "-o", binary], TextWriter.Null, error);
            var outcome = CommandOutcome.Of(exitCode, error.ToString(), path + ":", notePrefix: "bpfasm: note: ");
            if (outcome == FuzzOutcome.Accepted)
                Disassembler.Disassemble(File.ReadAllBytes(binary), new DisassemblerOptions { Lossless = true });
            return outcome;
        }, TestContext.Current.CancellationToken);
    }
}
