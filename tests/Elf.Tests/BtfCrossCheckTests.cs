using System.Text.Json;
using CpuMap.Managed.Elf.Btf;

namespace CpuMap.Managed.Elf.Tests;

/// <summary>Checks every BTF type of every valid object against `bpftool btf dump file X -j`.</summary>
public class BtfCrossCheckTests
{
    [Theory]
    [MemberData(nameof(ElfFixtures.AllValidObjects), MemberType = typeof(ElfFixtures))]
    public void Every_type_matches_bpftool(string path)
    {
        var json = Tools.Run("bpftool", "btf", "dump", "file", path, "-j");
        var expectedTypes = JsonDocument.Parse(json).RootElement.GetProperty("types").EnumerateArray().ToList();
        var btf = BpfObject.Load(path).Btf;
        Assert.NotNull(btf);
        Assert.Equal(expectedTypes.Count, btf.Count);
        foreach (var expected in expectedTypes)
        {
            var actual = btf[expected.GetProperty("id").GetUInt32()]!;
            var where = $"{Path.GetFileName(path)} {actual}";
            Assert.True(expected.GetProperty("kind").GetString() == KindName(actual.Kind), where);
            Assert.Equal(expected.GetProperty("name").GetString(), Anon(actual.Name));
            if (expected.TryGetProperty("size", out var size))
                Assert.Equal(size.GetUInt32(), actual.Size);
            if (actual.Kind != BtfKind.Array && expected.TryGetProperty("type_id", out var typeId))
                Assert.Equal(typeId.GetUInt32(), actual.Type);
            if (expected.TryGetProperty("ret_type_id", out var returnType))
                Assert.Equal(returnType.GetUInt32(), actual.Type);
            if (expected.TryGetProperty("vlen", out var vlen))
                Assert.Equal(vlen.GetInt32(), actual.Vlen);
            switch (actual.Kind)
            {
                case BtfKind.Int:
                    Assert.Equal(expected.GetProperty("nr_bits").GetInt32(), actual.IntBits);
                    Assert.Equal(expected.GetProperty("bits_offset").GetInt32(), actual.IntOffset);
                    break;
                case BtfKind.Array:
                    Assert.Equal(expected.GetProperty("type_id").GetUInt32(), actual.Array.ElementType);
                    Assert.Equal(expected.GetProperty("index_type_id").GetUInt32(), actual.Array.IndexType);
                    Assert.Equal(expected.GetProperty("nr_elems").GetUInt32(), actual.Array.ElementCount);
                    break;
                case BtfKind.Struct or BtfKind.Union:
                    var members = expected.GetProperty("members").EnumerateArray().ToList();
                    Assert.Equal(members.Count, actual.Members.Count);
                    for (var i = 0; i < members.Count; i++)
                    {
                        Assert.Equal(members[i].GetProperty("name").GetString(), Anon(actual.Members[i].Name));
                        Assert.Equal(members[i].GetProperty("type_id").GetUInt32(), actual.Members[i].Type);
                        Assert.Equal(members[i].GetProperty("bits_offset").GetUInt32(), actual.Members[i].BitOffset);
                        Assert.Equal(members[i].TryGetProperty("bitfield_size", out var bits) ? bits.GetInt32() : 0, actual.Members[i].BitfieldSize);
                    }
                    break;
                case BtfKind.Enum or BtfKind.Enum64:
                    var values = expected.GetProperty("values").EnumerateArray().ToList();
                    Assert.Equal(values.Count, actual.EnumValues.Count);
                    for (var i = 0; i < values.Count; i++)
                    {
                        Assert.Equal(values[i].GetProperty("name").GetString(), actual.EnumValues[i].Name);
                        var value = values[i].GetProperty("val");
                        if (actual.IsSigned)
                            Assert.Equal(value.GetInt64(), actual.EnumValues[i].Value);
                        else if (actual.Kind == BtfKind.Enum) // bpftool 7.1 sign-extends the s32 field; its low 32 bits are the value
                            Assert.Equal((long)(uint)value.GetUInt64(), actual.EnumValues[i].Value);
                        else
                            Assert.Equal((long)value.GetUInt64(), actual.EnumValues[i].Value);
                    }
                    break;
                case BtfKind.FuncProto:
                    var parameters = expected.GetProperty("params").EnumerateArray().ToList();
                    Assert.Equal(parameters.Count, actual.Parameters.Count);
                    for (var i = 0; i < parameters.Count; i++)
                        Assert.Equal(parameters[i].GetProperty("type_id").GetUInt32(), actual.Parameters[i].Type);
                    break;
                case BtfKind.Var:
                    Assert.Equal(expected.GetProperty("linkage").GetString(), actual.Linkage switch { 0 => "static", 1 => "global", _ => "extern" });
                    break;
                case BtfKind.Func:
                    Assert.Equal(expected.GetProperty("linkage").GetString(), actual.Linkage switch { 0 => "static", 1 => "global", _ => "extern" });
                    break;
                case BtfKind.Datasec:
                    var variables = expected.GetProperty("vars").EnumerateArray().ToList();
                    Assert.Equal(variables.Count, actual.Variables.Count);
                    for (var i = 0; i < variables.Count; i++)
                    {
                        Assert.Equal(variables[i].GetProperty("type_id").GetUInt32(), actual.Variables[i].Type);
                        Assert.Equal(variables[i].GetProperty("offset").GetUInt32(), actual.Variables[i].Offset);
                        Assert.Equal(variables[i].GetProperty("size").GetUInt32(), actual.Variables[i].Size);
                    }
                    break;
                case BtfKind.DeclTag:
                    Assert.Equal(expected.GetProperty("component_idx").GetInt32(), actual.ComponentIndex);
                    break;
                case BtfKind.Fwd:
                    Assert.Equal(expected.GetProperty("fwd_kind").GetString(), actual.KindFlag ? "union" : "struct");
                    break;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void The_btf_kinds_fixture_holds_every_kind_its_compiler_emits(string compiler)
    {
        var btf = Fixtures.Load(compiler, "btf_kinds").Btf!;
        var kinds = btf.Types.Select(t => t.Kind).ToHashSet();
        var expected = Enum.GetValues<BtfKind>().Where(k => k != BtfKind.Unknown).ToHashSet();
        if (compiler == "clang14")
            expected.Remove(BtfKind.Enum64); // ENUM64 arrived in clang 15; clang 14 truncates to ENUM
        Assert.Subset(kinds, expected);

        var bits = btf.Find("packed_bits", BtfKind.Struct)!;
        Assert.True(bits.KindFlag);
        Assert.Equal(new BtfMember("low", bits.Members[0].Type, 0, 3), bits.Members[0]);
        Assert.Equal(new BtfMember("high", bits.Members[1].Type, 3, 13), bits.Members[1]);
        Assert.Equal(32u, bits.Members[2].BitOffset);
        Assert.Equal(12ul, btf.ResolveSize(bits.Id));

        var signed = btf.Find("signed_enum", BtfKind.Enum)!;
        // clang 14 predates the signed-enum kind flag: its enums read as unsigned 32-bit values.
        long negative = compiler == "clang14" ? 0xffff_fffe : -2;
        Assert.Equal([new BtfEnumValue("SIGNED_NEGATIVE", negative), new BtfEnumValue("SIGNED_POSITIVE", 3)], signed.EnumValues);
        if (compiler == "clang19")
            Assert.Equal(0x1_0000_0000L, btf.Find("wide_enum", BtfKind.Enum64)!.EnumValues[1].Value);

        var tag = btf.Types.Single(t => t.Kind == BtfKind.DeclTag);
        Assert.Equal("packed_bits_tag", tag.Name);
        Assert.Equal(-1, tag.ComponentIndex);
        Assert.Equal(bits.Id, tag.Type);

        // kinds_sample: struct kinds, through the VAR, is 12 + 8 + 8 + 4 (+4 pad) + 8 + 8 + 4 (+4 pad) bytes.
        var sample = btf.Find("kinds_sample", BtfKind.Var)!;
        Assert.Equal(btf.ResolveSize(btf.Find("kinds", BtfKind.Struct)!.Id), btf.ResolveSize(sample.Id));
        // volatile __u64 skips to the INT under the modifier and the typedef.
        var counter = btf.Find("volatile_counter", BtfKind.Var)!;
        Assert.Equal(BtfKind.Volatile, btf[counter.Type]!.Kind);
        Assert.Equal("unsigned long long", btf.SkipModifiersAndTypedefs(counter.Type)!.Name);
    }

    private static string KindName(BtfKind kind) => kind switch
    {
        BtfKind.FuncProto => "FUNC_PROTO",
        BtfKind.DeclTag => "DECL_TAG",
        BtfKind.TypeTag => "TYPE_TAG",
        _ => kind.ToString().ToUpperInvariant(),
    };

    private static string Anon(string name) => name.Length == 0 ? "(anon)" : name;
}
