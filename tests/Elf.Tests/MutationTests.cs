using System.Buffers.Binary;
using System.Diagnostics;
using CpuMap.Managed.Elf.Btf;

namespace CpuMap.Managed.Elf.Tests;

/// <summary>
/// Thousands of damaged fixtures per run (fixed seed, so a failure replays): bit flips, field
/// overwrites aimed at the parts the reader decodes, truncations and spliced sections. Whatever the
/// damage, the reader either reads the object or throws <see cref="BpfObjectException"/>: never
/// another exception, and never a hang (the test has a timeout).
/// </summary>
public class MutationTests
{
    private const int Seed = 20261124;
    private const int Mutations = 6000;

    [Fact(Timeout = 60_000)]
    public async Task Only_BpfObjectException_escapes_from_damaged_objects()
    {
        var originals = Fixtures.Compilers.SelectMany(c => Fixtures.Valid.Select(n => (Name: $"{c}/{n}", Bytes: Fixtures.Bytes(c, n)))).ToArray();
        var regions = originals.Select(o => InterestingRegions(o.Bytes)).ToArray();
        var (read, rejected) = await Task.Run(() =>
        {
            var random = new Random(Seed);
            int readCount = 0, rejectedCount = 0;
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < Mutations; i++)
            {
                var pick = random.Next(originals.Length);
                var (bytes, how) = Mutate(random, originals[pick].Bytes, regions[pick], originals[random.Next(originals.Length)].Bytes);
                try
                {
                    Exercise(BpfObject.Parse(bytes, "mutant.o"));
                    readCount++;
                }
                catch (BpfObjectException)
                {
                    rejectedCount++;
                }
                catch (Exception e)
                {
                    Assert.Fail($"mutation {i} (seed {Seed}) of {originals[pick].Name} by {how} threw {e.GetType().Name} instead of BpfObjectException: {e}");
                }
            }
            TestContext.Current.SendDiagnosticMessage($"{Mutations} mutations in {clock.ElapsedMilliseconds} ms: {readCount} read, {rejectedCount} rejected");
            return (readCount, rejectedCount);
        }, TestContext.Current.CancellationToken);

        // Both outcomes must be common, or the mutations are not reaching the decoders.
        Assert.InRange(read, Mutations / 20, Mutations);
        Assert.InRange(rejected, Mutations / 4, Mutations);
    }

    /// <summary>Walks everything a loader would use, including the lazy BTF walks.</summary>
    private static void Exercise(BpfObject obj)
    {
        foreach (var program in obj.Programs.Concat(obj.Subprograms))
            foreach (var relocation in program.Relocations)
                _ = relocation.TargetName.Length + program.Instructions.Span[relocation.Offset];
        foreach (var map in obj.Maps)
            _ = map.InitialValues.Count + (map.InnerMap?.MaxEntries ?? 0);
        foreach (var data in obj.GlobalData)
            foreach (var variable in data.Variables)
                _ = data.InitialValue.Span.Slice(variable.Offset, variable.Size);
        if (obj.Btf is not { } btf)
            return;
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

    private static (byte[] Bytes, string How) Mutate(Random random, byte[] original, (int Offset, int Length)[] regions, byte[] donor)
    {
        var bytes = (byte[])original.Clone();
        var (offset, length) = regions[random.Next(regions.Length)];
        switch (random.Next(6))
        {
            case 0:
                var flips = 1 + random.Next(4);
                for (var i = 0; i < flips; i++)
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return (bytes, $"{flips} bit flips anywhere");
            case 1:
                var at = offset + random.Next(length);
                bytes[at] ^= (byte)(1 << random.Next(8));
                return (bytes, $"a bit flip at 0x{at:x}");
            case 2:
                var field = offset + (random.Next(Math.Max(1, length - 4)) & ~3);
                uint[] values = [0, 1, 2, 4, 8, 0x18, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, (uint)bytes.Length, (uint)random.Next()];
                var value = values[random.Next(values.Length)];
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(Math.Min(field, bytes.Length - 4)), value);
                return (bytes, $"0x{value:x} written at 0x{field:x}");
            case 3:
                var cut = random.Next(bytes.Length);
                return (bytes[..cut], $"truncation to {cut} bytes");
            case 4:
                var chunk = 1 + random.Next(Math.Min(256, length));
                var from = random.Next(Math.Max(1, donor.Length - chunk));
                var to = Math.Min(offset + random.Next(length), bytes.Length - chunk);
                Array.Copy(donor, from, bytes, to, Math.Min(chunk, donor.Length - from));
                return (bytes, $"{chunk} bytes spliced in at 0x{to:x}");
            default:
                // Splice a whole region of another object over this one's (e.g. another .BTF or .symtab).
                var size = Math.Min(length, donor.Length - 1);
                var donorStart = random.Next(donor.Length - size);
                Array.Copy(donor, donorStart, bytes, offset, size);
                return (bytes, $"section-sized splice of {size} bytes at 0x{offset:x}");
        }
    }

    /// <summary>The header, the section header table and every section the reader decodes.</summary>
    private static (int Offset, int Length)[] InterestingRegions(byte[] bytes)
    {
        var patch = new ElfPatcher(bytes);
        var regions = new List<(int, int)> { (0, 64), ((int)patch.SectionHeaderOffset, patch.SectionCount * 64) };
        foreach (var section in BpfObject.Parse(bytes, "original.o").Sections)
            if (section.Data.Length >= 4 && !section.Name.StartsWith(".debug", StringComparison.Ordinal) && !section.Name.StartsWith(".rel.debug", StringComparison.Ordinal))
                regions.Add(((int)section.Offset, section.Data.Length));
        return [.. regions];
    }
}
