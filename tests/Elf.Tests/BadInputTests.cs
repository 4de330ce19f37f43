using BpfRelocationType = BpfAsm.BpfRelocationType;
namespace CpuMap.Managed.Elf.Tests;

/// <summary>Each kind of damage fails with one <see cref="BpfObjectException"/> that names the
/// object, the section and the offset, and says what is wrong.</summary>
public class BadInputTests
{
    private const string Compiler = "clang19";

    private static ElfPatcher Patch(string fixture) => new(Fixtures.Bytes(Compiler, fixture));

    private static BpfObjectException Fails(byte[] bytes, string? section, string cause)
    {
        var error = Assert.Throws<BpfObjectException>(() => BpfObject.Parse(bytes, "damaged.o"));
        Assert.Equal("damaged.o", error.ObjectName);
        Assert.Equal(section, error.SectionName);
        Assert.Contains(cause, error.Message);
        Assert.StartsWith(section is null ? "damaged.o: at file offset 0x" : $"damaged.o: section '{section}' at offset 0x", error.Message);
        // The root every refusal shares: the file is at fault, so no errno.
        BpfOperationException root = error;
        Assert.Equal((BpfObjectException.ReadOperation, (Errno?)null), (root.Operation, root.Errno));
        return error;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(63)]
    public void Files_shorter_than_a_header_fail(int length) =>
        Fails(Fixtures.Bytes(Compiler, "round_robin")[..length], null, "shorter than an ELF header (64 bytes)");

    [Fact]
    public void Every_truncation_fails_cleanly()
    {
        var bytes = Fixtures.Bytes(Compiler, "round_robin");
        for (var length = 0; length < bytes.Length; length += 7)
            Assert.Throws<BpfObjectException>(() => BpfObject.Parse(bytes[..length], "cut.o"));
    }

    [Fact]
    public void A_name_with_a_newline_is_escaped_so_the_message_stays_one_line()
    {
        // Found by fuzzing `cpumap inspect`: a damaged string table put a newline in a section name,
        // and the one-line error the command prints became three lines.
        var error = Fails(Patch("round_robin").Rename(".maps", ".m\nps").Bytes, ".relxdp", "the symbol is in '.m\\x0aps', which is not a map section");
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Not_an_elf_file_fails() =>
        Fails(Patch("round_robin").Write8(0, (byte)'M').Bytes, null, "not an ELF file");

    [Fact]
    public void A_32_bit_object_fails() =>
        Assert.Equal(4, Fails(Patch("round_robin").Write8(4, 1).Bytes, null, "ELF class 1 is not ELFCLASS64").Offset);

    [Fact]
    public void A_big_endian_object_fails() =>
        Assert.Equal(5, Fails(Patch("round_robin").Write8(5, 2).Bytes, null, "not little-endian").Offset);

    [Fact]
    public void An_object_for_another_machine_fails() =>
        Assert.Equal(18, Fails(Patch("round_robin").Write16(18, 62).Bytes, null, "e_machine is 62, not EM_BPF (247)").Offset);

    [Fact]
    public void A_linked_executable_fails() =>
        Fails(Patch("round_robin").Write16(16, 2).Bytes, null, "e_type is 2, not ET_REL (1)");

    [Fact]
    public void A_section_table_past_the_end_fails() =>
        Fails(Patch("round_robin").Write64(0x28, 1 << 20).Bytes, null, "runs past the end");

    [Fact]
    public void A_wrong_section_header_size_fails() =>
        Fails(Patch("round_robin").Write16(0x3a, 40).Bytes, null, "entries of 40 bytes");

    [Fact]
    public void A_section_name_table_index_out_of_range_fails() =>
        Fails(Patch("round_robin").Write16(0x3e, 999).Bytes, null, "section name table index 999");

    [Fact]
    public void Section_contents_past_the_end_fail() =>
        Fails(Patch("round_robin").Set("xdp", ElfPatcher.Field.Offset, 1 << 20).Bytes, "xdp", "run past the end of the");

    [Fact]
    public void A_symbol_table_without_a_string_table_fails() =>
        Fails(Patch("round_robin").Set(".symtab", ElfPatcher.Field.Link, 2).Bytes, ".symtab", "does not name a string table");

    [Fact]
    public void A_symbol_table_of_partial_records_fails()
    {
        var patch = Patch("round_robin");
        var size = patch.Read64(patch.Header(patch.SectionIndex(".symtab")) + (int)ElfPatcher.Field.Size);
        Fails(patch.Set(".symtab", ElfPatcher.Field.Size, size - 5).Bytes, ".symtab", "not a multiple of the 24-byte Elf64_Sym");
    }

    [Fact]
    public void A_symbol_in_a_missing_section_fails()
    {
        var patch = Patch("round_robin");
        var at = patch.SymbolOffset("cpu_map");
        var error = Fails(patch.Write16(at + 6, 900).Bytes, ".symtab", "has st_shndx 900");
        Assert.Equal(at - patch.SectionOffset(".symtab") + 6, error.Offset);
    }

    [Fact]
    public void A_symbol_name_outside_the_string_table_fails()
    {
        var patch = Patch("round_robin");
        Fails(patch.Write32(patch.SymbolOffset("cpu_map"), 0xffffff).Bytes, ".symtab", "name offset 16777215 is outside");
    }

    [Fact]
    public void A_relocation_outside_its_section_fails()
    {
        var patch = Patch("round_robin");
        var error = Fails(patch.Write64(patch.SectionOffset(".relxdp"), 0x10000).Bytes, ".relxdp", "relocation at 0x10000 of 'xdp' does not fall on an instruction");
        Assert.Equal(0, error.Offset);
    }

    [Fact]
    public void A_relocation_between_instructions_fails()
    {
        var patch = Patch("round_robin");
        Fails(patch.Write64(patch.SectionOffset(".relxdp") + 16, 0x23).Bytes, ".relxdp", "does not fall on an instruction");
    }

    [Fact]
    public void A_relocation_at_an_unknown_symbol_fails()
    {
        var patch = Patch("round_robin");
        var error = Fails(patch.Write32(patch.SectionOffset(".relxdp") + 16 + 12, 9999).Bytes, ".relxdp", "relocation refers to symbol 9999");
        Assert.Equal(16, error.Offset);
    }

    [Fact]
    public void A_relocation_of_an_instruction_that_takes_none_fails()
    {
        var patch = Patch("round_robin");
        Fails(patch.Write64(patch.SectionOffset(".relxdp"), 0).Bytes, ".relxdp", "takes no relocation; only ld_imm64 (0x18) and call (0x85) do");
    }

    [Fact]
    public void A_relocation_table_linked_to_another_symbol_table_fails() =>
        Fails(Patch("round_robin").Set(".relxdp", ElfPatcher.Field.Link, 1).Bytes, ".relxdp", "sh_link 1 is not the symbol table");

    [Fact]
    public void A_rela_table_for_code_fails() =>
        Fails(Patch("round_robin").Set(".relxdp", ElfPatcher.Field.Type, 4).Bytes, ".relxdp", "is not SHT_REL (9)");

    [Fact]
    public void Btf_maps_without_btf_fail() =>
        Fails(Patch("round_robin").Rename(".BTF", ".BTX").Bytes, ".maps", "need the object's .BTF section, which is missing; compile with clang -g");

    [Fact]
    public void Corrupt_btf_in_an_object_fails()
    {
        var patch = Patch("round_robin");
        Fails(patch.Write16(patch.SectionOffset(".BTF"), 0x1234).Bytes, ".BTF", "BTF magic 0x1234");
    }

    [Fact]
    public void A_missing_symbol_table_fails() =>
        Fails(Patch("round_robin").Set(".symtab", ElfPatcher.Field.Type, 1).Bytes, ".maps", "has no ELF symbol");

    [Fact]
    public void A_static_program_nothing_calls_is_a_program_as_cilium_ebpf_reads_it()
    {
        // libbpf refuses a static program; cilium/ebpf loads it. st_info 0x02: STB_LOCAL, STT_FUNC.
        var patch = Patch("multi_prog");
        var obj = BpfObject.Parse(patch.Write8(patch.SymbolOffset("tc_accept") + 4, 0x02).Bytes, "multi_prog.o");
        var program = obj.GetProgram("tc_accept");
        Assert.Equal(ElfSymbolBinding.Local, program.Binding);
        Assert.False(program.IsSubprogram);
        Assert.Contains(program, obj.Programs);
    }

    [Fact]
    public void A_function_of_partial_instructions_fails()
    {
        var patch = Patch("multi_prog");
        Fails(patch.Write64(patch.SymbolOffset("socket_keep") + 16, 13).Bytes, "socket", "function 'socket_keep' has size 13");
    }

    [Fact]
    public void Code_outside_every_function_fails()
    {
        var patch = Patch("multi_prog");
        Fails(patch.Write64(patch.SymbolOffset("socket_keep") + 16, 8).Bytes, "socket", "no function symbol covers the instructions from 0x8");
    }

    [Fact]
    public void A_call_resolved_in_place_into_the_middle_of_a_function_fails()
    {
        // bump's call to plus_one carries no relocation: its imm alone names the callee.
        var patch = Patch("subprograms");
        var bump = BpfObject.Parse(patch.Bytes, "subprograms.o").GetProgram("bump");
        var call = bump.Relocations.Single(r => r.Type == BpfRelocationType.R_BPF_NONE);
        var at = patch.SectionOffset(".text") + bump.Offset + call.Offset;
        patch.Write32(at + 4, patch.Read32(at + 4) + 1);
        var error = Fails(patch.Bytes, ".text", "'bump' instruction 9 calls offset 0xb8 of '.text', where no function starts");
        Assert.Equal(bump.Offset + call.Offset, error.Offset);
    }

    [Fact]
    public void A_version_section_of_the_wrong_size_fails() =>
        Fails(Patch("global_data").Set("version", ElfPatcher.Field.Size, 3).Bytes, "version", "must hold one 4-byte kernel version");

    [Fact]
    public void A_bss_the_kernel_cannot_create_fails() =>
        Fails(Patch("global_data").Set(".bss", ElfPatcher.Field.Size, 1ul << 40).Bytes, ".bss", "at most 4194304 bytes (KMALLOC_MAX_SIZE)");

    [Fact]
    public void A_variable_outside_its_section_fails()
    {
        var patch = Patch("global_data");
        Fails(patch.Write64(patch.SymbolOffset("rodata_table") + 8, 4096).Bytes, ".rodata", "variable 'rodata_table' (32 bytes at 0x1000) lies outside");
    }

    [Fact]
    public void A_program_array_slot_that_is_not_a_program_fails()
    {
        var patch = Patch("map_features");
        var license = (uint)((patch.SymbolOffset("_license") - patch.SectionOffset(".symtab")) / 24);
        Fails(patch.Write32(patch.SectionOffset(".rel.maps") + 2 * 16 + 12, license).Bytes, ".rel.maps", "program array 'jump_table' slot 0 refers to '_license', which is not a program");
    }

    [Fact]
    public void A_legacy_map_record_past_its_section_fails()
    {
        var patch = Patch("legacy_maps");
        Fails(patch.Write64(patch.SymbolOffset("legacy_flows") + 8, 400).Bytes, "maps", "map 'legacy_flows' (20 bytes at 0x190) lies outside");
    }

    [Fact]
    public void An_unknown_btf_map_attribute_fails() =>
        Fails(Patch("round_robin").Replace(".BTF", "max_entries", "max_entriez").Bytes, ".maps", "map 'cpus_iterator': unknown attribute 'max_entriez'");

    [Fact]
    public void Conflicting_btf_map_sizes_fail() =>
        Fails(Patch("map_features").Replace(".BTF", "value_size", "key_size").Bytes, ".maps", "map 'sized_hash': conflicting key sizes 8 and 16");

    [Fact]
    public void An_array_where_a_pointer_belongs_fails() =>
        Fails(Patch("map_features").Replace(".BTF", "values", "value").Bytes, ".maps", "map 'outer_array': attribute 'value' is");

    [Fact]
    public void A_map_definition_that_is_not_a_struct_fails()
    {
        // Point the DATASEC's first VAR at the VAR itself: its type is then not a struct.
        var obj = BpfObject.Parse(Fixtures.Bytes(Compiler, "round_robin"), "round_robin.o");
        var datasec = obj.Btf!.Find(".maps", CpuMap.Managed.Elf.Btf.BtfKind.Datasec)!;
        var variable = obj.Btf[datasec.Variables[0].Type]!;
        var round = Patch("round_robin");
        var typesStart = round.SectionOffset(".BTF") + 24 + (int)round.Read32(round.SectionOffset(".BTF") + 8);
        round.Write32(typesStart + variable.RecordOffset + 8, obj.Btf.Find("xdp_md", CpuMap.Managed.Elf.Btf.BtfKind.Struct)!.Id - 1);
        Fails(round.Bytes, ".maps", "map 'cpus_iterator': its type is [");
    }

    [Fact]
    public void Damaged_btf_ext_fails()
    {
        // Ignoring it, as libbpf does, could drop CO-RE relocations without a word: the programs would read wrong fields.
        var patch = Patch("subprograms");
        var start = patch.SectionOffset(".BTF.ext");
        Array.Fill(patch.Bytes, (byte)0xff, start, 64);
        Fails(patch.Bytes, ".BTF.ext", ".BTF.ext magic 0xffff is not 0xeb9f");
    }

    [Fact]
    public void Unknown_map_types_are_kept_for_the_loader_to_judge()
    {
        var patch = Patch("legacy_maps");
        var obj = BpfObject.Parse(patch.Write32(patch.SectionOffset("maps") + 20, 999).Bytes, "future.o");
        Assert.Equal(999u, (uint)obj.GetMap("legacy_flows").Type); // a type this library does not name keeps its number
    }

    [Fact]
    public void A_missing_file_fails_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-object-" + Guid.NewGuid() + ".o");
        var error = Assert.Throws<BpfObjectException>(() => BpfObject.Load(path));
        Assert.Equal(path, error.ObjectName);
        Assert.Contains("cannot read the file", error.Message);
    }

    [Fact]
    public void A_directory_fails_naming_it()
    {
        var error = Assert.Throws<BpfObjectException>(() => BpfObject.Load(Fixtures.Directory));
        Assert.Contains("cannot read the file", error.Message);
    }

    [Fact]
    public void Missing_arguments_are_argument_errors()
    {
        Assert.Equal("bytes", Assert.Throws<ArgumentNullException>(() => BpfObject.Parse(null!, "x.o")).ParamName);
        Assert.Equal("objectName", Assert.Throws<ArgumentException>(() => BpfObject.Parse([], "")).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => BpfObject.Load("")).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => BpfObject.Load(null!)).ParamName);
        Assert.Equal("objectName", Assert.Throws<ArgumentException>(() => CpuMap.Managed.Elf.Btf.BtfTypes.Parse([], "")).ParamName);

        var obj = Fixtures.Load(Compiler, "global_data");
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => obj.GetMap(null!)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => obj.GetProgram(null!)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => obj.GetGlobalData(null!)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => obj.GetVariable(null!)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => obj.GlobalData[0].FindVariable(null!)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => obj.Btf!.Find(null!, CpuMap.Managed.Elf.Btf.BtfKind.Int)).ParamName);
    }

    [Fact]
    public void A_wrong_elf_version_fails() =>
        Fails(Patch("round_robin").Write32(20, 2).Bytes, null, "e_version is 2, not EV_CURRENT (1)");

    [Fact]
    public void Program_headers_in_a_relocatable_object_fail() =>
        Fails(Patch("round_robin").Write16(0x38, 3).Bytes, null, "e_phnum is 3");

    [Fact]
    public void An_object_without_a_section_name_table_fails() =>
        Fails(Patch("round_robin").Write16(0x3e, 0).Bytes, null, "e_shstrndx is 0");

    [Fact]
    public void A_section_name_outside_the_name_table_fails()
    {
        var patch = Patch("round_robin");
        var header = patch.SectionHeaderOffset + (ulong)patch.SectionIndex("xdp") * 64;
        var error = Fails(patch.Set("xdp", ElfPatcher.Field.Name, 1 << 20).Bytes, null, "name offset 1048576 is outside");
        Assert.Equal(header, (ulong)error.Offset);
    }

    [Fact]
    public void Symbol_names_outside_the_symbol_string_table_fail()
    {
        var patch = Patch("round_robin");
        patch.Write32(patch.SectionOffset(".symtab") + 24, 1 << 20);
        var error = Fails(patch.Bytes, ".symtab", "name offset 1048576 is outside");
        Assert.Equal(24, error.Offset);
    }

    [Fact]
    public void Symbol_names_come_from_the_string_table_sh_link_names()
    {
        // As readelf and libbpf read them: the table sh_link names, whatever it is called.
        var original = BpfObject.Parse(Patch("round_robin").Bytes, "original.o");
        var renamed = BpfObject.Parse(Patch("round_robin").Rename(".strtab", ".strtaX").Bytes, "renamed.o");
        Assert.Equal(".strtaX", renamed.Sections[(int)renamed.Sections.Single(s => s.Name == ".symtab").Link].Name);
        Assert.Equal(original.Symbols.Select(s => s.Name), renamed.Symbols.Select(s => s.Name));
        Assert.Contains(renamed.Symbols, s => s.Name == "xdp_redir_cpu_round_robin");
    }

    [Fact]
    public void A_dynamic_symbol_table_is_not_decoded()
    {
        // A BPF object has no SHT_DYNSYM; a 4-byte one at the end of the file (a partial Elf64_Sym) is only
        // a section, as llvm-readelf -S shows it, not a table to read past the end of the file.
        var patch = Patch("round_robin");
        patch.Set("license", ElfPatcher.Field.Offset, (ulong)patch.Bytes.Length - 4).Set("license", ElfPatcher.Field.Type, 11);
        var obj = BpfObject.Parse(patch.Bytes, "dynsym.o");
        Assert.Equal(11u, obj.Sections.Single(s => s.Name == "license").Type);
    }

    [Fact]
    public void Symbol_visibility_is_the_low_two_bits_of_st_other()
    {
        var patch = Patch("round_robin");
        var index = Fixtures.Load(Compiler, "round_robin").Symbols.Single(s => s.Name == "xdp_redir_cpu_round_robin").Index;
        // The other six bits of st_other are not the visibility (ELF64_ST_VISIBILITY masks them off).
        patch.Write8(patch.SectionOffset(".symtab") + index * 24 + 5, (byte)(0xfc | (byte)ElfSymbolVisibility.Hidden));
        Assert.Equal(ElfSymbolVisibility.Hidden, BpfObject.Parse(patch.Bytes, "hidden.o").Symbols[index].Visibility);
    }
}
