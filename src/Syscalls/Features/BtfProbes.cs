using System.Buffers.Binary;

namespace CpuMap.Managed.Syscalls;

/// <summary>
/// The smallest BTF blobs that use one BTF kind each, as libbpf's kind probes build them: a kernel that lacks the kind
/// refuses the blob at BPF_BTF_LOAD. Type ids start at 1; string offset 1 is "a", 3 is ".data" (after "a\0").
/// </summary>
internal static class BtfProbes
{
    private const int KindInt = 1, KindPtr = 2, KindFunc = 12, KindFuncProto = 13, KindVar = 14, KindDatasec = 15, KindFloat = 16, KindDeclTag = 17, KindTypeTag = 18, KindEnum64 = 19;
    private static readonly byte[] Strings = "\0a\0.data\0"u8.ToArray();
    private const uint NameA = 1, NameData = 3;

    /// <summary>[1] int.</summary>
    public static byte[] Int() => Blob(IntType());

    /// <summary>[1] int, [2] func_proto (int a) returning int, [3] func "a" static or global.</summary>
    public static byte[] Func(bool global) => Blob(IntType(), Type(0, Info(KindFuncProto, 1), 1), [NameA, 1], Type(NameA, Info(KindFunc, global ? 1 : 0), 2));

    /// <summary>[1] int, [2] var "a" (static), [3] datasec ".data" holding it.</summary>
    public static byte[] Datasec() => Blob(IntType(), Type(NameA, Info(KindVar, 0), 1), [0], Type(NameData, Info(KindDatasec, 1), 4), [2, 0, 4]);

    /// <summary>[1] float "a", 4 bytes.</summary>
    public static byte[] Float() => Blob(Type(NameA, Info(KindFloat, 0), 4));

    /// <summary>[1] int, [2] var "a", [3] decl_tag "a" on the var itself (component_idx -1).</summary>
    public static byte[] DeclTag() => Blob(IntType(), Type(NameA, Info(KindVar, 0), 1), [0], Type(NameA, Info(KindDeclTag, 0), 2), [uint.MaxValue]);

    /// <summary>[1] int, [2] type_tag "a" on it, [3] pointer to the tagged type.</summary>
    public static byte[] TypeTag() => Blob(IntType(), Type(NameA, Info(KindTypeTag, 0), 1), Type(0, Info(KindPtr, 0), 2));

    /// <summary>[1] enum64 "a", 8 bytes, one value "a" = 2^32.</summary>
    public static byte[] Enum64() => Blob(Type(NameA, Info(KindEnum64, 1), 8), [NameA, 0, 1]);

    private static uint[] IntType() => [0, Info(KindInt, 0), 4, 32]; // an unsigned 32-bit int (encoding 0, offset 0, 32 bits)

    private static uint Info(int kind, int vlen) => (uint)kind << 24 | (uint)vlen;

    private static uint[] Type(uint nameOff, uint info, uint sizeOrType) => [nameOff, info, sizeOrType];

    /// <summary>struct btf_header (24 bytes: magic 0xeB9F, version 1), the types, then the strings.</summary>
    private static byte[] Blob(params uint[][] words)
    {
        var types = new List<uint>();
        foreach (var part in words)
            types.AddRange(part);
        const int header = 24;
        var blob = new byte[header + types.Count * 4 + Strings.Length];
        var span = blob.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(span, 0xeB9F);
        span[2] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], header);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], 0);                      // type_off
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], (uint)types.Count * 4); // type_len
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], (uint)types.Count * 4); // str_off
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], (uint)Strings.Length);   // str_len
        for (var i = 0; i < types.Count; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(span[(header + i * 4)..], types[i]);
        Strings.CopyTo(span[(header + types.Count * 4)..]);
        return blob;
    }
}
