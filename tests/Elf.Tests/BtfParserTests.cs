using CpuMap.Managed.Elf.Btf;

namespace CpuMap.Managed.Elf.Tests;

/// <summary>The BTF reader on hand-written sections: every kind's encoding, resolution, and damage.</summary>
public class BtfParserTests
{
    [Fact]
    public void Decodes_every_kind_and_resolves_sizes()
    {
        var b = new BtfBuilder();
        var u32 = b.Type(BtfKind.Int, "unsigned int", 4, trailing: 32);                        // [1]
        var s8 = b.Type(BtfKind.Int, "char", 1, trailing: (1u << 24 | 2u << 24) | 8);           // [2] signed char
        var ptr = b.Type(BtfKind.Ptr, "", u32);                                                  // [3]
        var array = b.Type(BtfKind.Array, "", 0, trailing: [u32, u32, 6]);                      // [4]
        var bits = b.Type(BtfKind.Struct, "bits", 8, 2, kindFlag: true, trailing:
            [b.String("low"), u32, 3u << 24 | 0, b.String("high"), u32, 29u << 24 | 3]);         // [5]
        var either = b.Type(BtfKind.Union, "either", 4, 2, trailing: [b.String("a"), u32, 0, b.String("b"), s8, 0]); // [6]
        var color = b.Type(BtfKind.Enum, "color", 4, 2, kindFlag: true, trailing: [b.String("RED"), unchecked((uint)-1), b.String("BLUE"), 7]); // [7]
        var fwd = b.Type(BtfKind.Fwd, "later", 0, kindFlag: true);                               // [8] union fwd
        var typedef = b.Type(BtfKind.Typedef, "u32_t", u32);                                     // [9]
        var vol = b.Type(BtfKind.Volatile, "", typedef);                                         // [10]
        var cnst = b.Type(BtfKind.Const, "", vol);                                               // [11]
        var restrict = b.Type(BtfKind.Restrict, "", ptr);                                        // [12]
        var proto = b.Type(BtfKind.FuncProto, "", u32, 2, trailing: [b.String("x"), u32, 0, 0]);  // [13] (u32 x, ...)
        var func = b.Type(BtfKind.Func, "f", proto, vlen: 1);                                    // [14] global
        var variable = b.Type(BtfKind.Var, "v", cnst, trailing: 1);                              // [15]
        var datasec = b.Type(BtfKind.Datasec, ".data", 4, 1, trailing: [variable, 0, 4]);         // [16]
        var flt = b.Type(BtfKind.Float, "double", 8);                                            // [17]
        var tag = b.Type(BtfKind.DeclTag, "tag", bits, trailing: 1);                             // [18] on member 1
        var typeTag = b.Type(BtfKind.TypeTag, "user", u32);                                      // [19]
        var wide = b.Type(BtfKind.Enum64, "wide", 8, 1, trailing: [b.String("BIG"), 0, 1]);      // [20] unsigned 1 << 32
        var btf = BtfTypes.Parse(b.Build(), "hand.o");

        Assert.Equal(20, btf.Count);
        Assert.Null(btf[0]);
        Assert.Equal((BtfKind.Int, "unsigned int", 4u, (byte)32, (byte)0), (btf[u32]!.Kind, btf[u32]!.Name, btf[u32]!.Size, btf[u32]!.IntBits, btf[u32]!.IntEncoding));
        Assert.True(btf[s8]!.IsSigned);
        Assert.Equal(3, btf[s8]!.IntEncoding);
        Assert.Equal(new BtfArray(u32, u32, 6), btf[array]!.Array);
        Assert.Equal([new BtfMember("low", u32, 0, 3), new BtfMember("high", u32, 3, 29)], btf[bits]!.Members);
        Assert.Equal([new BtfMember("a", u32, 0, 0), new BtfMember("b", s8, 0, 0)], btf[either]!.Members);
        Assert.Equal([new BtfEnumValue("RED", -1), new BtfEnumValue("BLUE", 7)], btf[color]!.EnumValues);
        Assert.True(btf[fwd]!.KindFlag);
        Assert.Equal(0u, btf[fwd]!.Type);
        Assert.Equal([new BtfParam("x", u32), new BtfParam("", 0)], btf[proto]!.Parameters);
        Assert.Equal((proto, 1u), (btf[func]!.Type, btf[func]!.Linkage));
        Assert.Equal((cnst, 1u), (btf[variable]!.Type, btf[variable]!.Linkage));
        Assert.Equal([new BtfVarSecInfo(variable, 0, 4)], btf[datasec]!.Variables);
        Assert.Equal(8u, btf[flt]!.Size);
        Assert.Equal((bits, 1), (btf[tag]!.Type, btf[tag]!.ComponentIndex));
        Assert.Equal(u32, btf[typeTag]!.Type);
        Assert.Equal([new BtfEnumValue("BIG", 1L << 32)], btf[wide]!.EnumValues);
        Assert.False(btf[wide]!.IsSigned);

        Assert.Equal(u32, btf.SkipModifiersAndTypedefs(cnst)!.Id);
        Assert.Equal(u32, btf.SkipModifiersAndTypedefs(typeTag)!.Id);
        Assert.Equal(ptr, btf.SkipModifiersAndTypedefs(restrict)!.Id);
        Assert.Null(btf.SkipModifiersAndTypedefs(0));
        Assert.Equal(24ul, btf.ResolveSize(array));
        Assert.Equal(4ul, btf.ResolveSize(variable));
        Assert.Equal(8ul, btf.ResolveSize(restrict));
        Assert.Equal(8ul, btf.ResolveSize(wide));
        Assert.Equal(tag, btf.Find("tag", BtfKind.DeclTag)!.Id);
        Assert.Null(btf.Find("tag", BtfKind.Struct));
    }

    [Theory]
    [InlineData(BtfKind.Func)]
    [InlineData(BtfKind.FuncProto)]
    [InlineData(BtfKind.Fwd)]
    public void Types_without_a_size_say_so(BtfKind kind)
    {
        var b = new BtfBuilder();
        var id = b.Type(kind, "nosize", 0);
        var error = Assert.Throws<BpfObjectException>(() => BtfTypes.Parse(b.Build(), "hand.o").ResolveSize(id));
        Assert.Contains("has no size", error.Message);
        Assert.Equal(".BTF", error.SectionName);
    }

    [Fact]
    public void A_typedef_loop_fails_instead_of_hanging()
    {
        var b = new BtfBuilder();
        b.Type(BtfKind.Typedef, "a", 2);
        b.Type(BtfKind.Typedef, "b", 1);
        var btf = BtfTypes.Parse(b.Build(), "loop.o");
        Assert.Contains("type loop", Assert.Throws<BpfObjectException>(() => btf.ResolveSize(1)).Message);
        Assert.Contains("type loop", Assert.Throws<BpfObjectException>(() => btf.SkipModifiersAndTypedefs(2)).Message);
    }

    [Fact]
    public void An_array_of_itself_fails_instead_of_hanging()
    {
        var b = new BtfBuilder();
        b.Type(BtfKind.Array, "", 0, trailing: [1, 1, 1]);
        Assert.Contains("type loop", Assert.Throws<BpfObjectException>(() => BtfTypes.Parse(b.Build(), "loop.o").ResolveSize(1)).Message);
    }

    [Fact]
    public void A_size_over_4_GiB_fails()
    {
        var b = new BtfBuilder();
        var u64 = b.Type(BtfKind.Int, "u64", 8, trailing: 64);
        var array = b.Type(BtfKind.Array, "", 0, trailing: [u64, u64, 0x4000_0000]);
        Assert.Contains("exceeds 4 GiB", Assert.Throws<BpfObjectException>(() => BtfTypes.Parse(b.Build(), "big.o").ResolveSize(array)).Message);
    }

    [Fact]
    public void Asking_for_a_missing_type_id_fails()
    {
        var b = new BtfBuilder();
        b.Type(BtfKind.Int, "int", 4, trailing: 32);
        var btf = BtfTypes.Parse(b.Build(), "ids.o");
        Assert.Contains("type id 2 is not in the BTF, which has types [1..1]", Assert.Throws<BpfObjectException>(() => btf[2]).Message);
    }

    public static TheoryData<string, byte[], string> DamagedSections()
    {
        BtfBuilder Int()
        {
            var b = new BtfBuilder();
            b.Type(BtfKind.Int, "int", 4, trailing: 32);
            return b;
        }
        var danglingPointer = new BtfBuilder();
        danglingPointer.Type(BtfKind.Ptr, "", 7);
        var danglingMember = new BtfBuilder();
        danglingMember.Type(BtfKind.Struct, "s", 4, 1, trailing: [danglingMember.String("m"), 9, 0]);
        var unknownKind = new BtfBuilder();
        unknownKind.Raw(0, 25u << 24, 0);
        var badName = new BtfBuilder();
        badName.Raw(9999, (uint)BtfKind.Int << 24, 4, 32);
        var cutMembers = new BtfBuilder();
        cutMembers.Type(BtfKind.Struct, "s", 4, 3);
        var cutInt = new BtfBuilder();
        cutInt.Type(BtfKind.Int, "i", 4);
        return new()
        {
            { "empty section", [], "runs past the end" },
            { "big-endian magic", Int().Build(magic: 0x9feb), "the BTF is big-endian" },
            { "wrong magic", Int().Build(magic: 0x1234), "BTF magic 0x1234 is not 0xeb9f" },
            { "version 2", Int().Build(version: 2), "BTF version 2 is not 1" },
            { "header flags", Int().Build(flags: 1), "header flags 0x1 are not 0" },
            { "short header", Int().Build(headerLength: 8), "BTF header length 8" },
            { "header past the end", Int().Build(headerLength: 4096), "BTF header length 4096" },
            { "types past the end", Int().Build(typeOffset: 4096), "the BTF type section" },
            { "misaligned types", Int().Build(typeOffset: 2), "is not 4-byte aligned" },
            { "strings past the end", Int().Build(stringOffset: 4096), "the BTF string section" },
            { "unknown kind", unknownKind.Build(), "unknown BTF kind 25" },
            { "name outside strings", badName.Build(), "name offset 9999 is outside" },
            { "dangling pointer", danglingPointer.Build(), "refers to referenced type [7], but the BTF has types [1..1]" },
            { "dangling member", danglingMember.Build(), "member 'm' type [9]" },
            { "members cut off", cutMembers.Build(), "runs past the end" },
            { "int encoding cut off", cutInt.Build(), "runs past the end" },
        };
    }

    [Theory]
    [MemberData(nameof(DamagedSections))]
    public void Damaged_sections_fail_with_the_cause(string damage, byte[] section, string cause)
    {
        var error = Assert.Throws<BpfObjectException>(() => BtfTypes.Parse(section, "damaged.o"));
        // The damage only names the case, here in the failure message.
        Assert.True(error.Message.Contains(cause, StringComparison.Ordinal), $"{damage}: expected the cause '{cause}' in: {error.Message}");
        Assert.Equal(("damaged.o", ".BTF"), (error.ObjectName, error.SectionName));
        Assert.StartsWith("damaged.o: section '.BTF' at offset 0x", error.Message);
    }
}
