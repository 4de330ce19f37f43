using System.Buffers.Binary;
using CpuMap.Managed.Elf.Btf;

namespace CpuMap.Managed.Elf.Tests;

/// <summary>
/// The .BTF parser on its own, as the loader also uses it for the kernel's raw BTF: every fixture's
/// .BTF section damaged by the shared <see cref="ByteMutator"/>, aimed at the header, the type records
/// and the strings. Only <see cref="BpfObjectException"/> may escape. (.BTF.ext has no parser yet: the
/// reader skips it, and the object campaign damages it along with the rest.)
/// </summary>
public class BtfMutationTests
{
    private const int Seed = 20261203;
    private const int Mutations = 20_000;

    [Fact(Timeout = 120_000)]
    public async Task Only_BpfObjectException_escapes_from_damaged_btf()
    {
        var seeds = Fixtures.Compilers
            .SelectMany(c => Fixtures.Valid.Select(n => (Name: $"{c}/{n}", Object: Fixtures.Load(c, n))))
            .SelectMany(o => o.Object.Sections.Where(s => s.Name == ".BTF").Select(s => SeedOf($"{o.Name} .BTF", s.Data.ToArray())))
            .ToArray();
        Assert.NotEmpty(seeds);
        await FuzzCampaign.RunAsync(".BTF", Seed, Mutations,
            random => ByteMutator.Mutate(random, seeds[random.Next(seeds.Length)], seeds[random.Next(seeds.Length)]), bytes =>
            {
                BtfTypes btf;
                try
                {
                    btf = BtfTypes.Parse(bytes, "mutant.o");
                }
                catch (BpfObjectException e) when (e.Message.Length > 0)
                {
                    return FuzzOutcome.Rejected;
                }
                MutationTests.Exercise(btf);
                return FuzzOutcome.Accepted;
            }, TestContext.Current.CancellationToken);
    }

    /// <summary>A .BTF blob aimed at its header (struct btf_header), its type records and its strings.</summary>
    private static FuzzSeed SeedOf(string name, byte[] btf)
    {
        var header = (int)BinaryPrimitives.ReadUInt32LittleEndian(btf.AsSpan(4));
        (int, int) Region(int offsetField) =>
            (header + (int)BinaryPrimitives.ReadUInt32LittleEndian(btf.AsSpan(offsetField)), (int)BinaryPrimitives.ReadUInt32LittleEndian(btf.AsSpan(offsetField + 4)));
        return new FuzzSeed(name, btf, [(0, header), Region(8), Region(16)]);
    }
}
