using CpuMap.Managed.Elf;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader.Tests;

/// <summary>Every fixture into the real kernel, and what the loaded programs do under BPF_PROG_TEST_RUN.</summary>
public sealed class LoadTests
{
    private static readonly byte[] Frame64 = Frame(64);

    [Theory]
    [MemberData(nameof(Fixtures.ValidFixtures), MemberType = typeof(Fixtures))]
    public void Every_valid_fixture_loads_and_passes_the_verifier(string compiler, string name)
    {
        Kernel.RequireBpf();
        var spec = Fixtures.Open(compiler, name);

        using var collection = spec.Load();

        Assert.Equal(spec.Object.Programs.Count, collection.Programs.Count);
        Assert.NotEmpty(collection.Programs);
        foreach (var program in collection.Programs)
        {
            Assert.True(program.Id > 0);
            Assert.Equal(program.Section.ProgramType, program.Fd.Type);
            Assert.Equal(KernelObjectNames.ForKernel(program.Name), program.KernelName);
            Assert.Equal(program.KernelName, Bpf.ObjGetInfoByFd(program.Fd).Name.ToString());
        }
        // Global data maps, and the .kconfig map for __kconfig externs, beside the declared maps.
        var kconfig = spec.Object.Externs.Any(e => e.Kind == BpfExternKind.Kconfig) ? 1 : 0;
        Assert.Equal(spec.Object.Maps.Count + spec.Object.GlobalData.Count(d => d.Size > 0) + kconfig, collection.Maps.Count);
        foreach (var map in collection.Maps)
            Assert.Equal(map.KernelName, map.Fd.Name);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Round_robin_redirects_to_the_cpus_in_turn_and_advances_its_iterator(string compiler)
    {
        Kernel.RequireBpf();
        using var collection = Fixtures.Open(compiler, "round_robin").Set<uint>("nr_cpus", 2).Load();
        var program = collection.GetProgram("xdp_redir_cpu_round_robin").Fd;
        var cpuMap = Syscalls.Maps.BpfCpuMap.Open(collection.GetMap("cpu_map").Fd);
        var available = collection.GetMap("cpus_available").Fd;
        Bpf.MapUpdateElem(available, 0u, 1u);
        Bpf.MapUpdateElem(available, 1u, 0u);
        cpuMap.Set(0, 64);
        cpuMap.Set(1, 64);

        var first = Bpf.ProgTestRun(program, Frame64);

        Assert.Equal(XdpAction.Redirect, first.XdpAction);
        Assert.Equal(1ul, IteratorSum(collection));
        // repeat runs on one CPU: two more steps go 1 -> 0 -> 1 there (nr_cpus = 2 wraps it).
        Assert.Equal(XdpAction.Redirect, Bpf.ProgTestRun(program, Frame64, repeat: 2).XdpAction);
        // Whichever CPU each of the three runs lands on, every CPU's iterator is its run count mod 2,
        // so the three steps leave a sum of 1 (3 would need three different CPUs within one syscall).
        var sum = IteratorSum(collection);
        Assert.True(sum == 1, $"the per-CPU iterators sum to {sum} after three steps with nr_cpus = 2, expected 1");
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void A_variable_set_by_name_is_what_the_program_reads(string compiler)
    {
        Kernel.RequireBpf();
        // cpus_available[0] = 1: with the object's own nr_cpus = 1, CPU 1 is out of range (XDP_ABORTED);
        // with nr_cpus set to 2 it is a valid target (XDP_REDIRECT).
        Assert.Equal(XdpAction.Aborted, RunRoundRobin(Fixtures.Open(compiler, "round_robin")));
        Assert.Equal(XdpAction.Redirect, RunRoundRobin(Fixtures.Open(compiler, "round_robin").Set<uint>("nr_cpus", 2)));

        static XdpAction RunRoundRobin(BpfObjectSpec spec)
        {
            using var collection = spec.Load();
            Bpf.MapUpdateElem(collection.GetMap("cpus_available").Fd, 0u, 1u);
            var cpuMap = Syscalls.Maps.BpfCpuMap.Open(collection.GetMap("cpu_map").Fd);
            cpuMap.Set(0, 64);
            cpuMap.Set(1, 64);
            return Bpf.ProgTestRun(collection.GetProgram("xdp_redir_cpu_round_robin").Fd, Frame64).XdpAction;
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Rodata_is_read_only_to_the_program_and_frozen(string compiler)
    {
        Kernel.RequireBpf();
        using var collection = Fixtures.Open(compiler, "round_robin").Set<uint>("nr_cpus", 7).Load();
        var rodata = collection.GetMap(".rodata");

        Assert.Equal("round_ro.rodata", rodata.KernelName);
        Assert.Same(rodata, collection.GetMap("round_ro.rodata"));
        Assert.True(rodata.Fd.Flags.HasFlag(BpfMapFlags.RdonlyProg));
        Assert.True(Bpf.MapLookupElem(rodata.Fd, 0u, out uint value));
        Assert.Equal(7u, value);
        var error = Assert.Throws<BpfException>(() => Bpf.MapUpdateElem(rodata.Fd, 0u, 8u));
        Assert.Equal(Errno.EPERM, error.Errno);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Global_data_starts_with_the_sections_values_and_the_program_writes_it(string compiler)
    {
        Kernel.RequireBpf();
        using var collection = Fixtures.Open(compiler, "global_data").Load();
        var program = collection.GetProgram("xdp_global_data").Fd;

        Assert.Equal(XdpAction.Pass, Bpf.ProgTestRun(program, Frame64).XdpAction);

        Assert.Equal(43u, ReadU32(collection.GetMap(".data"), 0));
        Assert.Equal(6u, ReadU32(collection.GetMap(".data.custom"), 0));
        Assert.Equal(".data.custom", collection.GetMap(".data.custom").KernelName);
        Assert.Equal("global_d.bss", collection.GetMap(".bss").KernelName);
        Assert.False(collection.GetMap(".data").Fd.Flags.HasFlag(BpfMapFlags.RdonlyProg));
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Subprograms_are_linked_into_each_program_that_calls_them(string compiler)
    {
        Kernel.RequireBpf();
        var spec = Fixtures.Open(compiler, "subprograms");
        using var collection = spec.Load();
        var xdp = collection.GetProgram("xdp_with_calls");
        var tc = collection.GetProgram("tc_with_calls");
        var hits = collection.GetMap("subprog_hits").Fd;

        var linkedLength = spec.Object.Subprograms.Sum(s => s.InstructionCount);
        Assert.Equal(xdp.Program.InstructionCount + linkedLength, xdp.InstructionCount);
        Assert.Equal(XdpAction.Pass, Bpf.ProgTestRun(xdp.Fd, Frame64).XdpAction);
        Assert.Equal(XdpAction.Drop, Bpf.ProgTestRun(xdp.Fd, Frame(1600)).XdpAction);
        Assert.Equal(0u, Bpf.ProgTestRun(tc.Fd, Frame64).Retval);           // TC_ACT_OK
        Assert.True(Bpf.MapLookupElem(hits, 0u, out ulong xdpHits));
        Assert.True(Bpf.MapLookupElem(hits, 1u, out ulong tcHits));
        Assert.Equal(2ul, xdpHits);
        Assert.Equal(1ul, tcHits);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Each_program_gets_the_type_attach_type_and_flags_of_its_section(string compiler)
    {
        Kernel.RequireBpf();
        using var collection = Fixtures.Open(compiler, "multi_prog").Load();

        Assert.Equal(BpfProgType.Xdp, collection.GetProgram("xdp_pass_first").Fd.Type);
        Assert.Equal(BpfProgType.Xdp, collection.GetProgram("xdp_drop_second").Fd.Type);
        Assert.Equal(BpfProgFlags.XdpHasFrags, collection.GetProgram("xdp_frags_pass").Fd.LoadAttributes!.Flags);
        Assert.Equal(BpfAttachType.XdpDevmap, collection.GetProgram("xdp_devmap_pass").Fd.LoadAttributes!.ExpectedAttachType);
        Assert.Equal(BpfProgType.SchedCls, collection.GetProgram("tc_accept").Fd.Type);
        Assert.Equal(BpfProgType.SocketFilter, collection.GetProgram("socket_keep").Fd.Type);
        Assert.Equal(BpfProgType.Tracepoint, collection.GetProgram("trace_getpid").Fd.Type);
        Assert.Equal(BpfProgType.Kprobe, collection.GetProgram("kprobe_nanosleep").Fd.Type);
        Assert.Equal(XdpAction.Pass, Bpf.ProgTestRun(collection.GetProgram("xdp_pass_first").Fd, Frame64).XdpAction);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Maps_get_the_sizes_the_spec_gives_and_nothing_is_rewritten_behind_the_users_back(string compiler)
    {
        Kernel.RequireBpf();
        using (var declared = Fixtures.Open(compiler, "round_robin").Load())
        {
            Assert.Equal(12u, declared.GetMap("cpu_map").Definition!.MaxEntries);
            Assert.Equal(12u, Bpf.ObjGetInfoByFd(declared.GetMap("cpu_map").Fd).MaxEntries); // as declared, as libbpf leaves it
        }

        var spec = Fixtures.Open(compiler, "round_robin");
        spec.Map("cpu_map").SetMaxEntriesToPossibleCpus();
        spec.Map("cpus_available").MaxEntries = 3;
        using var sized = spec.Load();
        // Read back from the kernel: the highest possible CPU + 1, from the full range list in sysfs.
        var possible = File.ReadAllText(CpuList.PossiblePath).Trim();
        var highest = possible.Split(',').Select(range => int.Parse(range.Split('-')[^1])).Max();
        Assert.Equal((uint)highest + 1, Bpf.ObjGetInfoByFd(sized.GetMap("cpu_map").Fd).MaxEntries);
        Assert.Equal(3u, Bpf.ObjGetInfoByFd(sized.GetMap("cpus_available").Fd).MaxEntries);
    }

    [Theory]
    [MemberData(nameof(Fixtures.InvalidFixtures), MemberType = typeof(Fixtures))]
    public void Invalid_fixtures_fail_with_an_error_naming_the_object(string compiler, string name)
    {
        var error = Assert.ThrowsAny<Exception>(() => Fixtures.Open(compiler, name).Load());

        Assert.True(error is BpfObjectException or BpfLoadException, error.ToString());
        Assert.Contains(name + ".o", error.Message);
    }

    [Fact]
    public void Unknown_names_in_the_collection_are_refused_with_the_names_it_has()
    {
        Kernel.RequireBpf();
        using var collection = Fixtures.Open("clang19", "round_robin").Load();

        Assert.Contains("cpu_map", Assert.Throws<KeyNotFoundException>(() => collection.GetMap("nope")).Message);
        Assert.Contains("xdp_redir_cpu_round_robin", Assert.Throws<KeyNotFoundException>(() => collection.GetProgram("nope")).Message);
        Assert.Throws<ArgumentException>(() => collection.GetMap(""));
        Assert.Throws<ArgumentNullException>(() => collection.GetProgram(null!));
    }

    [Fact]
    public void A_verifier_refusal_names_the_program_and_carries_the_log()
    {
        Kernel.RequireBpf();
        var spec = BpfObjectSpec.From(BpfObject.Parse(BrokenProgram("socket_keep"), "multi_prog.o"));

        var error = Assert.Throws<BpfLoadException>(() => spec.Load());

        Assert.Equal("socket_keep", error.ProgramName);
        Assert.Contains("multi_prog.o: program 'socket_keep'", error.Message);
        Assert.Contains("BPF_PROG_TYPE_SOCKET_FILTER", error.Message);
        Assert.IsType<BpfVerifierException>(error.InnerException);
        Assert.False(string.IsNullOrWhiteSpace(error.VerifierLog));
        Assert.Contains("infinite loop", error.Message);
    }

    /// <summary>multi_prog.o with <paramref name="program"/>'s final exit turned into "goto self": an infinite loop the verifier refuses.</summary>
    internal static byte[] BrokenProgram(string program)
    {
        var bytes = File.ReadAllBytes(Fixtures.PathOf("clang19", "multi_prog"));
        var parsed = BpfObject.Parse(bytes, "multi_prog.o");
        var function = parsed.GetProgram(program);
        var section = parsed.Sections[function.SectionIndex];
        var exit = (int)section.Offset + function.Offset + function.InstructionCount * 8 - 8;
        Assert.Equal(0x95, bytes[exit]);
        bytes[exit] = 0x05; // BPF_JMP | BPF_JA
        bytes[exit + 2] = 0xff; // off = -1
        bytes[exit + 3] = 0xff;
        return bytes;
    }

    internal static byte[] Frame(int length)
    {
        var frame = new byte[length];
        frame[12] = 0x08; // EtherType IPv4
        return frame;
    }

    private static ulong IteratorSum(BpfCollection collection)
    {
        var iterator = collection.GetMap("cpus_iterator").Fd;
        var values = new byte[iterator.ValueBufferSize];
        Assert.True(Bpf.MapLookupElem(iterator, new byte[4], values));
        ulong sum = 0;
        for (var cpu = 0; cpu < values.Length / 8; cpu++)
            sum += BitConverter.ToUInt32(values, cpu * 8);
        return sum;
    }

    private static uint ReadU32(LoadedMap map, int offset)
    {
        var value = new byte[map.Fd.ValueSize];
        Assert.True(Bpf.MapLookupElem(map.Fd, new byte[4], value));
        return BitConverter.ToUInt32(value, offset);
    }
}
