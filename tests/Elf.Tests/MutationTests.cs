using CpuMap.Managed.Elf.Btf;

namespace CpuMap.Managed.Elf.Tests;

/// <summary>
/// Tens of thousands of damaged fixtures per run (fixed seed, so a failure replays), made by the
/// shared <see cref="ByteMutator"/>: bit flips, field overwrites aimed at the parts the reader decodes,
/// truncations and spliced sections. Whatever the damage, the reader either reads the object or
/// throws <see cref="BpfObjectException"/>: never another exception, and never a hang (the test has a timeout).
/// </summary>
public class MutationTests
{
    private const int Seed = 20261124;
    private const int Mutations = 40_000;

    [Fact(Timeout = 120_000)]
    public async Task Only_BpfObjectException_escapes_from_damaged_objects()
    {
        var seeds = FuzzSeed.EveryFixture();
        await FuzzCampaign.RunAsync("ELF objects", Seed, Mutations,
            random => ByteMutator.Mutate(random, seeds[random.Next(seeds.Length)], seeds[random.Next(seeds.Length)]), bytes =>
        {
            try
            {
                Exercise(BpfObject.Parse(bytes, "mutant.o"));
                return FuzzOutcome.Accepted;
            }
            catch (BpfObjectException e) when (e.Message.Length > 0)
            {
                return FuzzOutcome.Rejected;
            }
        }, TestContext.Current.CancellationToken);
    }

    /// <summary>Walks everything a loader would use, including the lazy BTF walks.</summary>
    internal static void Exercise(BpfObject obj)
    {
        foreach (var program in obj.Programs.Concat(obj.Subprograms))
        {
            foreach (var relocation in program.Relocations)
                _ = relocation.TargetName.Length + program.IndexOfSlot(relocation.InstructionIndex);
            _ = program.Metadata.Count(m => m?.Reference is not null);
        }
        foreach (var map in obj.Maps)
            _ = map.InitialValues.Count + (map.InnerMap?.MaxEntries ?? 0);
        foreach (var data in obj.GlobalData)
            foreach (var variable in data.Variables)
                _ = data.InitialValue.Span.Slice(variable.Offset, variable.Size);
        if (obj.Btf is { } btf)
            Exercise(btf);
    }

    /// <summary>Resolves every type as a loader would: a damaged type may be unsizable or loop, which is the one allowed failure.</summary>
    internal static void Exercise(BtfTypes btf)
    {
        for (var id = 1u; id <= btf.Count; id++)
        {
            try
            {
                btf.SkipModifiersAndTypedefs(id);
                if (btf[id]!.Kind is not (BtfKind.Func or BtfKind.FuncProto or BtfKind.Fwd or BtfKind.DeclTag))
                    btf.ResolveSize(id);
            }
            catch (BpfObjectException)
            {
                // a damaged type may be unsizable or loop: that is the one allowed failure
            }
        }
    }
}
