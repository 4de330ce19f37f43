using System.Text.RegularExpressions;
using CpuMap.Managed.Elf;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader.Tests;

/// <summary>Program BTF in the real kernel: func_info, line_info, and CO-RE relocations applied by the kernel.</summary>
public sealed class ProgramBtfTests
{
    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void The_kernel_relocates_CO_RE_reads_to_its_own_layout(string compiler)
    {
        Kernel.RequireBpf();
        using var collection = Fixtures.Open(compiler, "core_relo").Load();
        var program = collection.GetProgram("core_xdp").Fd;

        var run = Bpf.ProgTestRun(program, LoadTests.Frame(64));

        Assert.Equal(XdpAction.Pass, run.XdpAction);
        var bss = new byte[32];
        Assert.True(Bpf.MapLookupElem(collection.GetMap(".bss").Fd, new byte[4], bss));
        var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(bss);
        // The kernel's answers, as libbpf gives them here; the object's own would be 16, 4, and reads of the wrong fields.
        Assert.Equal(40ul, values[0]);  // sizeof(struct xdp_frame)
        Assert.Equal(224ul, values[1]); // offsetof(struct net_device, ifindex)
        Assert.Equal(64ul, values[2]);  // data_end - data, read through the uapi xdp_md offsets
        Assert.Equal(1ul, values[3]);   // ingress_ifindex: a test run is on loopback
        Assert.Empty(collection.Warnings);
        var info = Bpf.ObjGetInfoByFd(program);
        Assert.NotEqual(0u, info.BtfId);
        Assert.Equal(1u, info.NrFuncInfo);
        Assert.True(info.NrLineInfo > 0);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void The_relocated_program_is_what_libbpf_loads(string compiler)
    {
        Kernel.RequireBpf();
        var bpftool = Kernel.RequireTool("bpftool");
        var path = Fixtures.PathOf(compiler, "core_relo");
        using var collection = BpfObjectSpec.Open(path).Load();
        using var pins = new BpfFsFolder();
        Shell.Run(bpftool, "prog", "loadall", path, pins.Path);

        var ours = Xlated(bpftool, "id", collection.GetProgram("core_xdp").Id.ToString());
        var libbpf = Xlated(bpftool, "pinned", Path.Combine(pins.Path, "core_xdp"));

        Assert.Equal(libbpf, ours);
        Assert.Contains("r4 = 40", ours);
        Assert.Contains("r4 = 224", ours);
        Assert.Contains("; ingress_ifindex = ctx->ingress_ifindex;", ours); // line_info went with the instructions
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void A_CO_RE_field_the_kernel_lacks_is_explained(string compiler)
    {
        Kernel.RequireBpf();
        var spec = Fixtures.Open(compiler, "invalid_core_field");

        var e = Assert.Throws<BpfLoadException>(() => spec.Load());

        Assert.Equal("missing_field", e.ProgramName);
        Assert.Contains("a CO-RE relocation cannot be satisfied", e.Message);
        Assert.Contains("BPF_CORE_FIELD_BYTE_OFFSET of struct net_device.cpumap_no_such_field", e.Message);
        Assert.Contains("access \"0:1\"", e.Message);
        Assert.Contains("bpf_core_field_exists()", e.Message);
        Assert.Contains("this kernel has no such field", e.Message);
        Assert.DoesNotContain("passed the verifier", e.Message);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void A_global_function_is_verified_on_its_own_with_func_info(string compiler)
    {
        Kernel.RequireBpf();
        using var collection = Fixtures.Open(compiler, "global_func").Load(new BpfLoadOptions { LogLevel = 1 });
        var program = collection.GetProgram("xdp_global_call");

        // Linux 6.x: "Func#1 ('packet_verdict') is safe for any args that match its prototype"; older: "... is global and assumed valid".
        Assert.Matches(@"Func#\d+ \('packet_verdict'\) is (safe for any args|global and assumed valid)", program.Fd.VerifierLog);
        var info = Bpf.ObjGetInfoByFd(program.Fd);
        Assert.Equal(3u, info.NrFuncInfo); // the program and both subprograms
        Assert.Equal(XdpAction.Pass, Bpf.ProgTestRun(program.Fd, LoadTests.Frame(64)).XdpAction);
        Assert.Equal(XdpAction.Drop, Bpf.ProgTestRun(program.Fd, LoadTests.Frame(32)).XdpAction);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void A_refused_program_shows_the_C_source_line(string compiler)
    {
        Kernel.RequireBpf();
        var spec = Fixtures.Open(compiler, "invalid_packet_access");
        var line = File.ReadAllLines(Path.Combine(Repository.Root, "tests/fixtures/src/invalid_packet_access.c"))
            .Select((text, index) => (text, number: index + 1)).Single(l => l.text.Contains("no bounds check")).number;

        var e = Assert.Throws<BpfLoadException>(() => spec.Load());

        Assert.Contains($"@ invalid_packet_access.c:{line}", e.Message);
        Assert.Contains("return data[0] ^ extra;", e.Message);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Subprograms_keep_their_func_and_line_info_after_linking(string compiler)
    {
        Kernel.RequireBpf();
        using var collection = Fixtures.Open(compiler, "subprograms").Load();
        foreach (var program in collection.Programs)
        {
            var info = Bpf.ObjGetInfoByFd(program.Fd);
            Assert.True(info.NrFuncInfo >= 2, $"{program.Name}: {info.NrFuncInfo} func_info");
            Assert.True(info.NrLineInfo > info.NrFuncInfo);
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures.ValidFixtures), MemberType = typeof(Fixtures))]
    public void The_BTF_with_every_optional_kind_replaced_still_loads(string compiler, string name)
    {
        Kernel.RequireBpf();
        var bpfObject = Fixtures.Open(compiler, name).Object;
        Assert.NotNull(bpfObject.Btf);

        using var all = Bpf.BtfLoad(ProgramBtfFixup.ForKernel(bpfObject, BtfKindSupport.All));
        var sanitized = ProgramBtfFixup.ForKernel(bpfObject, BtfKindSupport.None);
        using var none = Bpf.BtfLoad(sanitized);

        // As an old kernel would see it: only the kinds of Linux 4.18 are left.
        var types = Elf.Btf.BtfTypes.Parse(sanitized, name);
        Assert.DoesNotContain(types.Types, t => t.Kind is Elf.Btf.BtfKind.Func or Elf.Btf.BtfKind.FuncProto or Elf.Btf.BtfKind.Var
            or Elf.Btf.BtfKind.Datasec or Elf.Btf.BtfKind.Float or Elf.Btf.BtfKind.DeclTag or Elf.Btf.BtfKind.TypeTag or Elf.Btf.BtfKind.Enum64);
    }

    [Fact]
    public void Global_variables_get_their_offsets_and_sections_their_sizes()
    {
        var bpfObject = Fixtures.Open("clang19", "global_data").Object;

        var types = Elf.Btf.BtfTypes.Parse(ProgramBtfFixup.ForKernel(bpfObject, BtfKindSupport.All), "global_data");

        var bss = types.Find(".bss", Elf.Btf.BtfKind.Datasec)!;
        Assert.Equal((long)bpfObject.GetGlobalData(".bss").Size, (long)bss.Size);
        foreach (var entry in bss.Variables)
            Assert.Equal(bpfObject.GetVariable(types[entry.Type]!.Name).Variable.Offset, (int)entry.Offset);
        var rodata = types.Find(".rodata", Elf.Btf.BtfKind.Datasec)!;
        Assert.Equal(rodata.Variables.OrderBy(v => v.Offset), rodata.Variables);
        Assert.NotEqual(rodata.Variables[0].Offset, rodata.Variables[1].Offset);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void BTF_the_kernel_refuses_is_left_out_with_one_warning_when_nothing_needs_it(string compiler)
    {
        Kernel.RequireBpf();
        // A parameter name the kernel refuses ("Invalid arg#1") and this reader does not check.
        var bytes = FixtureBytes.Renamed(compiler, "subprograms", "\0slot\0", "\0sl-t\0");

        using var collection = BpfObjectSpec.From(BpfObject.Parse(bytes, "subprograms.o")).Load();

        var warning = Assert.Single(collection.Warnings);
        Assert.Contains("subprograms.o: loading the programs without BTF", warning);
        Assert.Contains("BPF_BTF_LOAD answered EINVAL: [", warning); // the kernel's own last word: the type and why
        Assert.Contains("Invalid arg#", warning);
        Assert.DoesNotContain('\n', warning);
        foreach (var program in collection.Programs)
            Assert.Equal(0u, Bpf.ObjGetInfoByFd(program.Fd).BtfId);
        Assert.Equal(XdpAction.Pass, Bpf.ProgTestRun(collection.GetProgram("xdp_with_calls").Fd, LoadTests.Frame(64)).XdpAction);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void BTF_the_kernel_refuses_fails_the_load_when_CO_RE_needs_it(string compiler)
    {
        Kernel.RequireBpf();
        var bytes = FixtureBytes.Renamed(compiler, "core_relo", "\0ctx\0", "\0c-x\0");

        var e = Assert.Throws<BpfLoadException>(() => BpfObjectSpec.From(BpfObject.Parse(bytes, "core_relo.o")).Load());

        Assert.Contains("CO-RE relocation(s) need the object's BTF in the kernel, which could not be loaded", e.Message);
        Assert.Contains("cannot be dropped", e.Message);
        Assert.Contains("BTF log", e.Message);
    }

    internal static string Xlated(string bpftool, params string[] program)
    {
        var text = Shell.Run(bpftool, ["prog", "dump", "xlated", .. program]);
        // Map ids differ between the two loads; everything else must not.
        return Regex.Replace(text, @"map\[id:\d+\]", "map[id]");
    }
}
