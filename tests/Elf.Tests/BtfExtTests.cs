using System.Buffers.Binary;
using CpuMap.Managed.Elf.Btf;

namespace CpuMap.Managed.Elf.Tests;

/// <summary>.BTF.ext as clang writes it, and every kind of damage to it as one <see cref="BpfObjectException"/>.</summary>
public class BtfExtTests
{
    private const string Section = ".BTF.ext";

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Func_info_names_every_function_at_its_first_instruction(string compiler)
    {
        var bpfObject = Fixtures.Load(compiler, "subprograms");
        var ext = bpfObject.BtfExt!;

        foreach (var function in bpfObject.Programs.Concat(bpfObject.Subprograms))
        {
            var info = Assert.Single(ext.Find(function.SectionName)!.FuncInfos, f => f.InsnOff == (uint)function.Offset);
            Assert.Equal(function.Name, bpfObject.Btf![info.TypeId]!.Name);
            Assert.Contains(ext.Find(function.SectionName)!.LineInfos, l => l.InsnOff == (uint)function.Offset);
        }
        Assert.Contains(ext.Sections.SelectMany(s => s.LineInfos), l => l.Line > 0); // clang-14 also writes some line 0 records
        Assert.Equal(0, ext.CoreReloCount);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Core_relos_carry_kind_type_and_access_string(string compiler)
    {
        var bpfObject = Fixtures.Load(compiler, "core_relo");
        var relos = bpfObject.BtfExt!.Find("xdp")!.CoreRelos;

        Assert.Contains(relos, r => r.Kind == BtfCoreReloKind.TypeSize && bpfObject.Btf![r.TypeId]!.Name == "xdp_frame" && r.AccessString == "0");
        Assert.Contains(relos, r => r.Kind == BtfCoreReloKind.FieldByteOffset && bpfObject.Btf![r.TypeId]!.Name == "net_device" && r.AccessString == "0:1");
        // ctx->data, ctx->data_end and ctx->ingress_ifindex of the local struct xdp_md.
        Assert.Equal(3, relos.Count(r => r.Kind == BtfCoreReloKind.FieldByteOffset && r.AccessString.StartsWith("0:", StringComparison.Ordinal) && bpfObject.Btf![r.TypeId]!.Kind == BtfKind.Struct && bpfObject.Btf![r.TypeId]!.Name == "xdp_md"));
        Assert.All(relos, r => Assert.Equal(0u, r.InsnOff % 8));
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Every_truncation_fails_cleanly(string compiler)
    {
        var (ext, btf, sizes) = Parts(compiler);
        for (var length = 0; length < ext.Length; length++)
        {
            var truncated = ext[..length];
            var error = Assert.Throws<BpfObjectException>(() => BtfExt.Parse(truncated, btf, sizes, "damaged.o"));
            Assert.Equal(Section, error.SectionName);
        }
        BtfExt.Parse(ext, btf, sizes, "whole.o");
    }

    [Theory]
    [InlineData(0, 0x1234, "magic")]
    [InlineData(2, 2, "version 2")]
    [InlineData(3, 1, "flags")]
    public void A_bad_header_byte_fails(int offset, int value, string cause)
    {
        var (ext, btf, sizes) = Parts("clang19");
        if (offset == 0)
            BinaryPrimitives.WriteUInt16LittleEndian(ext, (ushort)value);
        else
            ext[offset] = (byte)value;
        Fails(ext, btf, sizes, cause);
    }

    [Theory]
    [InlineData(4, 8u, "header length 8")]          // hdr_len below the 24 bytes up to line_info_len
    [InlineData(4, 0x10000u, "header length")]      // past the end
    [InlineData(8, 2u, "not 4-byte aligned")]        // func_info_off
    [InlineData(12, 0x10000u, "runs past the end")]  // func_info_len
    [InlineData(16, 0x10000u, "runs past the end")]  // line_info_off
    public void A_bad_header_field_fails(int offset, uint value, string cause)
    {
        var (ext, btf, sizes) = Parts("clang19");
        BinaryPrimitives.WriteUInt32LittleEndian(ext.AsSpan(offset), value);
        Fails(ext, btf, sizes, cause);
    }

    [Theory]
    [InlineData(0u, "record size 0")]
    [InlineData(4u, "record size 4")]
    [InlineData(10u, "record size 10")]
    [InlineData(0x7fffffffu, "record size")]
    public void A_bad_func_info_record_size_fails(uint size, string cause)
    {
        var (ext, btf, sizes) = Parts("clang19");
        BinaryPrimitives.WriteUInt32LittleEndian(ext.AsSpan(Block(ext, 8)), size);
        Fails(ext, btf, sizes, cause);
    }

    [Fact]
    public void A_bad_line_info_record_size_fails()
    {
        var (ext, btf, sizes) = Parts("clang19");
        BinaryPrimitives.WriteUInt32LittleEndian(ext.AsSpan(Block(ext, 16)), 12);
        Fails(ext, btf, sizes, "line_info record size 12");
    }

    [Fact]
    public void A_bad_core_relo_record_size_fails()
    {
        var (ext, btf, sizes) = Parts("clang19", "core_relo");
        BinaryPrimitives.WriteUInt32LittleEndian(ext.AsSpan(Block(ext, 24)), 8);
        Fails(ext, btf, sizes, "core_relo record size 8");
    }

    [Fact]
    public void A_record_count_past_the_block_fails()
    {
        var (ext, btf, sizes) = Parts("clang19");
        BinaryPrimitives.WriteUInt32LittleEndian(ext.AsSpan(Block(ext, 8) + 8), 1000);
        Fails(ext, btf, sizes, "1000 func_info records of 8 bytes");
    }

    [Fact]
    public void An_empty_record_list_fails()
    {
        var (ext, btf, sizes) = Parts("clang19");
        BinaryPrimitives.WriteUInt32LittleEndian(ext.AsSpan(Block(ext, 8) + 8), 0);
        Fails(ext, btf, sizes, "num_info 0");
    }

    [Fact]
    public void A_section_name_outside_the_strings_fails()
    {
        var (ext, btf, sizes) = Parts("clang19");
        BinaryPrimitives.WriteUInt32LittleEndian(ext.AsSpan(Block(ext, 8) + 4), 0xfffffff);
        Fails(ext, btf, sizes, "not a string of the .BTF string section");
    }

    [Fact]
    public void Records_for_a_section_the_object_lacks_fail()
    {
        var (ext, btf, _) = Parts("clang19");
        Fails(ext, btf, _ => null, "not an executable section of the object");
    }

    [Theory]
    [InlineData(3u, "not the start of an instruction")]
    [InlineData(0x100000u, "not the start of an instruction")]
    public void A_func_info_insn_off_off_an_instruction_fails(uint insnOff, string cause)
    {
        var (ext, btf, sizes) = Parts("clang19");
        BinaryPrimitives.WriteUInt32LittleEndian(ext.AsSpan(Block(ext, 8) + 12), insnOff);
        Fails(ext, btf, sizes, cause);
    }

    [Fact]
    public void A_func_info_naming_a_type_that_is_not_a_func_fails()
    {
        var (ext, btf, sizes) = Parts("clang19");
        BinaryPrimitives.WriteUInt32LittleEndian(ext.AsSpan(Block(ext, 8) + 16), 1);
        Fails(ext, btf, sizes, "which is not a BTF FUNC");
    }

    [Theory]
    [InlineData(4, 0u, "names type [0]")]
    [InlineData(8, 0xfffffffu, "access string at offset")]
    [InlineData(12, 99u, "kind 99")]
    public void A_bad_core_relo_field_fails(int field, uint value, string cause)
    {
        var (ext, btf, sizes) = Parts("clang19", "core_relo");
        BinaryPrimitives.WriteUInt32LittleEndian(ext.AsSpan(Block(ext, 24) + 12 + field), value);
        Fails(ext, btf, sizes, cause);
    }

    [Fact]
    public void A_header_without_core_relo_fields_has_no_core_relos()
    {
        var (ext, btf, sizes) = Parts("clang19", "core_relo");
        BinaryPrimitives.WriteUInt32LittleEndian(ext.AsSpan(4), 24); // an older compiler's header: blocks keep their offsets from its end
        var moved = ext.Take(24).Concat(ext.Skip(32)).ToArray();

        Assert.Equal(0, BtfExt.Parse(moved, btf, sizes, "old.o").CoreReloCount);
    }

    [Fact]
    public void An_object_with_BTF_ext_but_no_BTF_fails()
    {
        var bytes = Fixtures.Bytes("clang19", "invalid_packet_access"); // no .maps, which needs the BTF first
        // Rename the .BTF section so that only .BTF.ext is left: ".BTF\0" -> ".BTX\0" in the section name table.
        var at = bytes.AsSpan().IndexOf(".BTF\0"u8);
        Assert.True(at >= 0);
        bytes[at + 3] = (byte)'X';

        var error = Assert.Throws<BpfObjectException>(() => BpfObject.Parse(bytes, "damaged.o"));
        Assert.Contains("has .BTF.ext but no .BTF", error.Message);
    }

    private static void Fails(byte[] ext, BtfTypes btf, Func<string, ulong?> sizes, string cause)
    {
        var error = Assert.Throws<BpfObjectException>(() => BtfExt.Parse(ext, btf, sizes, "damaged.o"));
        Assert.Equal("damaged.o", error.ObjectName);
        Assert.Equal(Section, error.SectionName);
        Assert.Contains(cause, error.Message);
    }

    /// <summary>The offset in the section of the block whose offset field is at <paramref name="offsetField"/> of the header.</summary>
    private static int Block(byte[] ext, int offsetField) =>
        (int)(BinaryPrimitives.ReadUInt32LittleEndian(ext.AsSpan(4)) + BinaryPrimitives.ReadUInt32LittleEndian(ext.AsSpan(offsetField)));

    private static (byte[] Ext, BtfTypes Btf, Func<string, ulong?> Sizes) Parts(string compiler, string fixture = "subprograms")
    {
        var bpfObject = Fixtures.Load(compiler, fixture);
        var ext = bpfObject.Sections.Single(s => s.Name == Section).Data.ToArray();
        return (ext, bpfObject.Btf!, name => bpfObject.Sections.FirstOrDefault(s => s.Name == name && s.IsExecutable)?.Size);
    }
}
