using System.Buffers.Binary;

namespace CpuMap.Managed.Testing;

/// <summary>
/// One damaged copy of a seed's bytes: bit flips, a random byte, field overwrites with the values
/// that break length and offset checks, truncations, and splices from another seed (a chunk, or a
/// whole region such as another object's .BTF or .symtab). Most damage lands in the seed's regions,
/// so it reaches the decoders rather than padding or DWARF.
/// </summary>
public static class ByteMutator
{
    public static (byte[] Bytes, string How) Mutate(Random random, FuzzSeed seed, FuzzSeed donor)
    {
        var bytes = (byte[])seed.Bytes.Clone();
        if (bytes.Length < 8)
            return (bytes, "unchanged (too short to damage)");
        var (offset, length) = seed.Regions[random.Next(seed.Regions.Length)];
        length = Math.Max(1, Math.Min(length, bytes.Length - offset));
        switch (random.Next(7))
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
                var field = Math.Min(offset + (random.Next(Math.Max(1, length - 4)) & ~3), bytes.Length - 4);
                uint[] values = [0, 1, 2, 4, 8, 0x18, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, (uint)bytes.Length, (uint)random.Next()];
                var value = values[random.Next(values.Length)];
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(field), value);
                return (bytes, $"0x{value:x} written at 0x{field:x}");
            case 3:
                var cut = random.Next(bytes.Length);
                return (bytes[..cut], $"truncation to {cut} bytes");
            case 4:
                var chunk = 1 + random.Next(Math.Min(256, length));
                var from = random.Next(Math.Max(1, donor.Bytes.Length - chunk));
                var to = Math.Max(0, Math.Min(offset + random.Next(length), bytes.Length - chunk));
                var copied = Math.Min(chunk, Math.Min(donor.Bytes.Length - from, bytes.Length - to));
                Array.Copy(donor.Bytes, from, bytes, to, copied);
                return (bytes, $"{copied} bytes of {donor.Name} spliced in at 0x{to:x}");
            case 5:
                var (donorOffset, donorLength) = donor.Regions[random.Next(donor.Regions.Length)];
                var size = Math.Min(Math.Min(length, donorLength), Math.Min(donor.Bytes.Length - donorOffset, bytes.Length - offset));
                Array.Copy(donor.Bytes, donorOffset, bytes, offset, size);
                return (bytes, $"a region-sized splice of {size} bytes of {donor.Name} (from 0x{donorOffset:x}) at 0x{offset:x}");
            default:
                var where = offset + random.Next(length);
                var old = bytes[where];
                bytes[where] = (byte)random.Next(256);
                return (bytes, $"byte 0x{where:x} changed from 0x{old:x2} to 0x{bytes[where]:x2}");
        }
    }
}
