using BpfRelocationType = BpfAsm.BpfRelocationType;
using System.Buffers.Binary;
using CpuMap.Managed.Elf.Btf;

namespace CpuMap.Managed.Elf.Tests;

/// <summary>What is really in each fixture (see tests/fixtures/src), for both compilers.</summary>
public class FixtureContentTests
{
    private const BpfMapType HASH = BpfMapType.Hash, ARRAY = BpfMapType.Array, PROG_ARRAY = BpfMapType.ProgArray, PERCPU_ARRAY = BpfMapType.PercpuArray,
        ARRAY_OF_MAPS = BpfMapType.ArrayOfMaps, HASH_OF_MAPS = BpfMapType.HashOfMaps, CPUMAP = BpfMapType.Cpumap, BLOOM_FILTER = BpfMapType.BloomFilter;
    private const BpfMapFlags BPF_F_NO_PREALLOC = BpfMapFlags.NoPrealloc, BPF_F_NUMA_NODE = BpfMapFlags.NumaNode;

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Round_robin_has_the_seed_maps_the_cpu_count_and_both_programs(string compiler)
    {
        var obj = Fixtures.Load(compiler, "round_robin");

        Assert.Equal("GPL", obj.License);
        Assert.Null(obj.KernelVersion);
        // In the order of the BTF DATASEC, as libbpf creates them.
        Assert.Equal(["cpus_iterator", "cpus_available", "cpu_map", "remote_packets"], obj.Maps.Select(m => m.Name));
        AssertMap(obj.GetMap("cpu_map"), CPUMAP, 4, 8, 12);
        AssertMap(obj.GetMap("cpus_available"), ARRAY, 4, 4, 12);
        AssertMap(obj.GetMap("cpus_iterator"), PERCPU_ARRAY, 4, 4, 1);
        AssertMap(obj.GetMap("remote_packets"), PERCPU_ARRAY, 4, 8, 1);
        var cpuMap = obj.GetMap("cpu_map");
        Assert.Equal("bpf_cpumap_val", obj.Btf![cpuMap.ValueTypeId]!.Name);
        Assert.Equal(".maps", cpuMap.SectionName);
        Assert.False(cpuMap.IsLegacy);

        var redirect = obj.GetProgram("xdp_redir_cpu_round_robin");
        Assert.Equal("xdp", redirect.SectionName);
        Assert.False(redirect.IsSubprogram);
        Assert.Equal(ElfSymbolBinding.Global, redirect.Binding);
        Assert.Equal(
            [("cpus_iterator", BpfRelocationKind.MapReference), (".rodata", BpfRelocationKind.GlobalData), ("cpus_available", BpfRelocationKind.MapReference), (".rodata", BpfRelocationKind.GlobalData), ("cpu_map", BpfRelocationKind.MapReference)],
            redirect.Relocations.Select(r => (r.TargetName, r.Kind)));
        Assert.All(redirect.Relocations, r => Assert.Equal(BpfRelocationType.R_BPF_64_64, r.Type));
        Assert.All(redirect.Relocations, r => Assert.True(redirect.Instructions[redirect.IndexOfSlot(r.InstructionIndex)].IsWide)); // ld_imm64

        var remote = obj.GetProgram("xdp_cpumap_count");
        Assert.Equal("xdp/cpumap", remote.SectionName);
        Assert.Equal("remote_packets", Assert.Single(remote.Relocations).TargetName);
        Assert.Empty(obj.Subprograms);

        var (rodata, cpus) = obj.GetVariable("nr_cpus");
        Assert.Equal(GlobalDataKind.ReadOnlyData, rodata.Kind);
        Assert.Equal(".rodata", rodata.Name);
        Assert.Equal(4, cpus.Size);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(rodata.InitialValue.Span[cpus.Offset..]));
        var type = obj.Btf.SkipModifiersAndTypedefs(cpus.BtfTypeId)!;
        Assert.Equal((BtfKind.Int, "unsigned int"), (type.Kind, type.Name));
        Assert.Equal(BtfKind.Const, obj.Btf[cpus.BtfTypeId]!.Kind);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Legacy_maps_are_read_from_bpf_map_def_records(string compiler)
    {
        var obj = Fixtures.Load(compiler, "legacy_maps");

        Assert.Equal(["legacy_counters", "legacy_flows"], obj.Maps.Select(m => m.Name));
        Assert.All(obj.Maps, m => Assert.True(m.IsLegacy));
        Assert.All(obj.Maps, m => Assert.Equal("maps", m.SectionName));
        AssertMap(obj.GetMap("legacy_counters"), ARRAY, 4, 8, 4);
        AssertMap(obj.GetMap("legacy_flows"), HASH, 8, 4, 1024);
        Assert.Equal(BPF_F_NO_PREALLOC, obj.GetMap("legacy_flows").MapFlags);
        Assert.Equal(20ul, obj.GetMap("legacy_flows").Offset);
        Assert.Equal(0u, obj.GetMap("legacy_flows").KeyTypeId);
        Assert.Equal(["legacy_counters", "legacy_flows"], obj.GetProgram("xdp_legacy_count").Relocations.Select(r => r.TargetName));
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Global_data_sections_hold_their_values_and_variables(string compiler)
    {
        var obj = Fixtures.Load(compiler, "global_data");

        Assert.Equal(0x061200u, obj.KernelVersion);
        Assert.Equal([".rodata", ".data", ".data.custom", ".bss"], obj.GlobalData.Select(d => d.Name));

        var rodata = obj.GetGlobalData(".rodata");
        Assert.Equal(GlobalDataKind.ReadOnlyData, rodata.Kind);
        Assert.Equal(["rodata_limit", "rodata_table"], rodata.Variables.Select(v => v.Name));
        Assert.Equal(7u, BinaryPrimitives.ReadUInt32LittleEndian(rodata.InitialValue.Span));
        var table = rodata.FindVariable("rodata_table")!;
        Assert.Equal((8, 32), (table.Offset, table.Size));
        Assert.Equal([1ul, 2, 3, 4], Enumerable.Range(0, 4).Select(i => BinaryPrimitives.ReadUInt64LittleEndian(rodata.InitialValue.Span[(table.Offset + 8 * i)..])));
        Assert.Equal(32ul, obj.Btf!.ResolveSize(table.BtfTypeId));

        var data = obj.GetGlobalData(".data");
        Assert.Equal(GlobalDataKind.Data, data.Kind);
        Assert.Equal(42u, BinaryPrimitives.ReadUInt32LittleEndian(data.InitialValue.Span));
        Assert.Equal(5u, BinaryPrimitives.ReadUInt32LittleEndian(obj.GetGlobalData(".data.custom").InitialValue.Span));

        var bss = obj.GetGlobalData(".bss");
        Assert.Equal(GlobalDataKind.Bss, bss.Kind);
        Assert.Equal(12, bss.Size);
        Assert.All(bss.InitialValue.ToArray(), b => Assert.Equal(0, b));
        Assert.Equal([("bss_total", 0, ElfSymbolBinding.Global), ("static_bss_hits", 8, ElfSymbolBinding.Local)], bss.Variables.Select(v => (v.Name, v.Offset, v.Binding)));

        // A static variable is reached through the section symbol plus the instruction's offset.
        var program = obj.GetProgram("xdp_global_data");
        Assert.All(program.Relocations, r => Assert.Equal(BpfRelocationKind.GlobalData, r.Kind));
        Assert.Equal(
            [(".data", 0L), (".bss", 8L), (".data.custom", 0L), (".bss", 0L), (".rodata", 0L), (".rodata", 8L)],
            program.Relocations.Select(r => (r.TargetName, r.TargetOffset)));
        Assert.Equal(".bss", program.Relocations[1].Symbol.Name);
        Assert.Equal(ElfSymbolType.Section, program.Relocations[1].Symbol.Type);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Subprograms_are_text_functions_reached_by_calls(string compiler)
    {
        var obj = Fixtures.Load(compiler, "subprograms");

        Assert.Equal(["xdp_with_calls", "tc_with_calls"], obj.Programs.Select(p => p.Name));
        Assert.Equal([("classify_length", ElfSymbolBinding.Global), ("bump", ElfSymbolBinding.Local), ("plus_one", ElfSymbolBinding.Local)], obj.Subprograms.Select(p => (p.Name, p.Binding)));
        Assert.All(obj.Subprograms, p => Assert.True(p.IsSubprogram));
        Assert.All(obj.Subprograms, p => Assert.Equal(".text", p.SectionName));

        foreach (var name in new[] { "xdp_with_calls", "tc_with_calls" })
        {
            var calls = obj.GetProgram(name).Relocations;
            Assert.All(calls, r => Assert.Equal((BpfRelocationKind.SubprogramCall, BpfRelocationType.R_BPF_64_32), (r.Kind, r.Type)));
            // The static callee is named by the .text section symbol, the global one by its own symbol.
            Assert.Equal([("bump", ".text"), ("classify_length", "classify_length")], calls.Select(r => (r.TargetName, r.Symbol.Name)));
            Assert.Equal(obj.GetProgram("bump").Offset, calls[0].TargetOffset);
            Assert.Equal(0, calls[1].TargetOffset);
            Assert.All(calls, r => Assert.True(obj.GetProgram(name).Instructions[obj.GetProgram(name).IndexOfSlot(r.InstructionIndex)].IsCall));
        }
        var bump = obj.GetProgram("bump").Relocations;
        Assert.Equal([(BpfRelocationKind.MapReference, "subprog_hits"), (BpfRelocationKind.SubprogramCall, "plus_one")], bump.Select(r => (r.Kind, r.TargetName)));
        // bump calls plus_one, a static function of the same section: the compiler resolved that
        // call in place, without an ELF relocation; the reader reports it all the same.
        var nested = bump[1];
        Assert.Equal(BpfRelocationType.R_BPF_NONE, nested.Type);
        Assert.Equal(obj.GetProgram("plus_one").Offset, nested.TargetOffset);
        Assert.Equal(".text", nested.TargetSectionName);
        Assert.Equal("plus_one", nested.Symbol.Name);
        Assert.True(obj.GetProgram("bump").Instructions[obj.GetProgram("bump").IndexOfSlot(nested.InstructionIndex)].IsCall);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Several_programs_per_section_and_several_sections(string compiler)
    {
        var obj = Fixtures.Load(compiler, "multi_prog");

        Assert.Equal("Dual MIT/GPL", obj.License);
        Assert.Equal(
            [("xdp_pass_first", "xdp", 0), ("xdp_drop_second", "xdp", 16), ("xdp_frags_pass", "xdp.frags", 0), ("xdp_devmap_pass", "xdp/devmap", 0),
             ("tc_accept", "tc", 0), ("socket_keep", "socket", 0), ("trace_getpid", "tracepoint/syscalls/sys_enter_getpid", 0), ("kprobe_nanosleep", "kprobe/do_nanosleep", 0)],
            obj.Programs.Select(p => (p.Name, p.SectionName, p.Offset)));
        Assert.Equal(2, obj.GetProgram("xdp_pass_first").InstructionCount); // r0 = XDP_PASS; exit
        Assert.Equal(obj.GetProgram("xdp_pass_first").SectionIndex, obj.GetProgram("xdp_drop_second").SectionIndex);
        Assert.All(obj.Programs, p => Assert.Empty(p.Relocations));
        Assert.Empty(obj.Maps);
        Assert.Empty(obj.GlobalData);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Every_btf_map_attribute_and_initial_values(string compiler)
    {
        var obj = Fixtures.Load(compiler, "map_features");

        var sized = obj.GetMap("sized_hash");
        AssertMap(sized, HASH, 8, 16, 256);
        Assert.Equal(BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE, sized.MapFlags);
        Assert.Equal((0u, 1u), (sized.NumaNode, sized.Pinning));
        Assert.Equal((0u, 0u), (sized.KeyTypeId, sized.ValueTypeId));

        var bloom = obj.GetMap("bloom");
        AssertMap(bloom, BLOOM_FILTER, 0, 4, 64);
        Assert.Equal(3ul, bloom.MapExtra);

        var outerArray = obj.GetMap("outer_array");
        AssertMap(outerArray, ARRAY_OF_MAPS, 4, 4, 4);
        AssertMap(outerArray.InnerMap!, ARRAY, 4, 4, 1);
        Assert.Equal("outer_array.inner", outerArray.InnerMap!.Name);
        Assert.Equal([new BpfMapInitialValue(0, "inner_a"), new BpfMapInitialValue(3, "inner_b")], outerArray.InitialValues);

        var outerHash = obj.GetMap("outer_hash");
        AssertMap(outerHash, HASH_OF_MAPS, 4, 4, 8);
        AssertMap(outerHash.InnerMap!, HASH, 2, 8, 32);
        Assert.Empty(outerHash.InitialValues);

        var jumps = obj.GetMap("jump_table");
        AssertMap(jumps, PROG_ARRAY, 4, 4, 3);
        Assert.Null(jumps.InnerMap);
        Assert.Equal([new BpfMapInitialValue(0, "tail_first"), new BpfMapInitialValue(2, "tail_second")], jumps.InitialValues);

        Assert.Equal(["outer_array", "jump_table"], obj.GetProgram("xdp_dispatch").Relocations.Select(r => r.TargetName));
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Lookups_by_a_missing_name_list_what_exists(string compiler)
    {
        var obj = Fixtures.Load(compiler, "round_robin");

        Assert.Contains("has no map 'nope'; it has: cpus_iterator", Assert.Throws<KeyNotFoundException>(() => obj.GetMap("nope")).Message);
        Assert.Contains("xdp_redir_cpu_round_robin", Assert.Throws<KeyNotFoundException>(() => obj.GetProgram("nope")).Message);
        Assert.Contains("it has: .rodata", Assert.Throws<KeyNotFoundException>(() => obj.GetGlobalData(".data")).Message);
        Assert.Contains("it has: nr_cpus", Assert.Throws<KeyNotFoundException>(() => obj.GetVariable("nope")).Message);
    }

    [Theory]
    [InlineData("invalid_static_map", ".maps", "map 'hidden_counts' is static")]
    [InlineData("invalid_btf_map", ".maps", "map 'bad_key': attribute 'key' is [5] TYPEDEF '__u32', not a pointer; declare it with __type(key, T)")]
    [InlineData("invalid_extern", ".relxdp", "'missing_threshold' is not defined in the object (an extern)")]
    public void Invalid_fixtures_fail_with_the_section_and_cause(string name, string section, string cause)
    {
        foreach (var compiler in Fixtures.Compilers)
        {
            var error = Assert.Throws<BpfObjectException>(() => Fixtures.Load(compiler, name));
            Assert.Equal(name + ".o", error.ObjectName);
            Assert.Equal(section, error.SectionName);
            Assert.Contains(cause, error.Message);
            Assert.StartsWith($"{name}.o: section '{section}' at offset 0x", error.Message);
        }
    }

    private static void AssertMap(BpfMapDefinition map, BpfMapType type, uint keySize, uint valueSize, uint maxEntries) =>
        Assert.Equal((type, keySize, valueSize, maxEntries), (map.Type, map.KeySize, map.ValueSize, map.MaxEntries));
}
