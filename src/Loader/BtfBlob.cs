using System.Buffers.Binary;

namespace CpuMap.Managed.Loader;

/// <summary>A BTF blob as BPF_BTF_LOAD takes it: the 24-byte header, the type section, the string section.</summary>
internal static class BtfBlob
{
    private const int HeaderSize = 24;

    /// <summary>The blob of <paramref name="types"/> then <paramref name="moreTypes"/>, and <paramref name="strings"/> then <paramref name="moreStrings"/>.</summary>
    public static byte[] Assemble(ReadOnlySpan<byte> types, ReadOnlySpan<byte> moreTypes, ReadOnlySpan<byte> strings, ReadOnlySpan<byte> moreStrings)
    {
        var allTypes = types.Length + moreTypes.Length;
        var allStrings = strings.Length + moreStrings.Length;
        var blob = new byte[HeaderSize + allTypes + allStrings];
        BinaryPrimitives.WriteUInt16LittleEndian(blob, 0xeB9F);
        blob[2] = 1; // version
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(8), 0); // type_off
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), (uint)allTypes);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(16), (uint)allTypes); // str_off
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(20), (uint)allStrings);
        types.CopyTo(blob.AsSpan(HeaderSize));
        moreTypes.CopyTo(blob.AsSpan(HeaderSize + types.Length));
        strings.CopyTo(blob.AsSpan(HeaderSize + allTypes));
        moreStrings.CopyTo(blob.AsSpan(HeaderSize + allTypes + strings.Length));
        return blob;
    }
}
