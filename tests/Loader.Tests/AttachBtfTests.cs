using System.Text.RegularExpressions;
using CpuMap.Managed.Elf;
using CpuMap.Managed.Elf.Btf;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader.Tests;

/// <summary>
/// Programs that attach by kernel BTF id (tp_btf/, fentry/, fexit/...): attach_btf_id comes from
/// /sys/kernel/btf/vmlinux, as libbpf finds it, checked against bpftool's reading of the same BTF.
/// </summary>
[Collection(nameof(FdCounting))] // counts the process's BPF fds: alone, not beside tests that open and close them
public sealed partial class AttachBtfTests
{
    // bpftool's ids for the types the tracing fixture attaches to; dumped once (the dump takes most of a second).
    private static readonly Lazy<Dictionary<string, uint>> BpftoolIds = new(() =>
    {
        var dump = Shell.Run("bpftool", "btf", "dump", "file", KernelBtf.VmlinuxPath);
        var ids = new Dictionary<string, uint>();
        foreach (Match match in BtfDumpLine().Matches(dump))
            ids.TryAdd(match.Groups[2].Value + " " + match.Groups[3].Value, uint.Parse(match.Groups[1].Value));
        return ids;
    });

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Tracing_programs_load_with_the_attach_btf_id_bpftool_reads_for_their_target(string compiler)
    {
        Kernel.RequireBpf();
        Kernel.RequireTool("bpftool");

        using var collection = Fixtures.Open(compiler, "tracing").Load();

        (string Program, BpfAttachType Attach, string BtfType)[] expected =
        [
            ("on_sched_switch", BpfAttachType.TraceRawTp, "TYPEDEF btf_trace_sched_switch"),
            ("each_task", BpfAttachType.TraceIter, "FUNC bpf_iter_task"),
        ];
        foreach (var (name, attach, btfType) in expected)
        {
            var program = collection.GetProgram(name);
            var info = Bpf.ObjGetInfoByFd(program.Fd);
            Assert.Equal(BpfProgType.Tracing, info.Type);
            Assert.Equal(attach, program.Section.ExpectedAttachType);
            Assert.Equal(BpftoolIds.Value[btfType], info.AttachBtfId);
            Assert.Equal(VmlinuxBtfObjectId(), info.AttachBtfObjId); // the kernel's own BTF, not a module's
        }
    }

    [Theory]
    [InlineData("fentry/__sys_sendto", "FUNC __sys_sendto")]
    [InlineData("fexit/vfs_fallocate", "FUNC vfs_fallocate")]
    public void Trampoline_programs_find_their_function_and_load_where_bpftool_loads_them(string section, string btfType)
    {
        Kernel.RequireBpf();
        Kernel.RequireTool("bpftool");
        var bytes = FixtureBytes.Renamed("clang19", "tracing", "tp_btf/sched_switch", section);
        var spec = BpfObjectSpec.From(BpfObject.Parse(bytes, "tracing.o"));
        var program = spec.Object.GetProgram("on_sched_switch");

        Assert.Equal(BpftoolIds.Value[btfType], AttachBtfTargets.Find("tracing.o", program, spec.SectionOf(program), KernelBtf.Vmlinux));

        var path = Path.Combine(Path.GetTempPath(), "cpumap-trampoline-" + Guid.NewGuid().ToString("N")[..8] + ".o");
        File.WriteAllBytes(path, bytes);
        try
        {
            var (bpftoolCode, _, bpftoolError) = Shell.Try("unshare", "-m", "sh", "-c",
                "mount -t bpf bpf /sys/fs/bpf && exec bpftool prog loadall \"$0\" /sys/fs/bpf/loadall", path);
            try
            {
                using var collection = spec.Load();
                Assert.True(bpftoolCode == 0, $"we loaded {section}, bpftool failed: {bpftoolError.Trim()}");
                Assert.Equal(BpftoolIds.Value[btfType], Bpf.ObjGetInfoByFd(collection.GetProgram("on_sched_switch").Fd).AttachBtfId);
            }
            catch (BpfLoadException e)
            {
                Assert.True(bpftoolCode != 0, $"bpftool loaded {section}, we failed: {e.Message}");
                // Both refused (a kernel that refuses trampolines to everyone, as this VM's does): the same
                // program, the kernel's same errno, and for EPERM our explanation of it.
                BpftoolRefusal.AssertSameReason(bpftoolError, e, e.Errno == Errno.EPERM ? "refuse trampolines" : null);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_kernel_btf_is_parsed_once_and_finds_what_bpftool_finds()
    {
        Kernel.RequireBpf();
        Kernel.RequireTool("bpftool");

        var btf = KernelBtf.Vmlinux;

        Assert.Same(btf, KernelBtf.Vmlinux);
        Assert.Equal(BpftoolIds.Value["TYPEDEF btf_trace_sched_switch"], btf.Find("btf_trace_sched_switch", BtfKind.Typedef));
        Assert.Equal(BpftoolIds.Value["FUNC bpf_iter_task"], btf.Find("bpf_iter_task", BtfKind.Func));
    }

    [Fact]
    public void A_tracepoint_the_kernel_lacks_is_named_with_the_btf_type_looked_for()
    {
        Kernel.RequireBpf();
        var spec = Renamed("tp_btf/sched_switch", "tp_btf/sched_swatch");
        var before = FdCount.Bpf();

        var error = Assert.Throws<BpfLoadException>(() => spec.Load());

        Assert.Equal("on_sched_switch", error.ProgramName);
        Assert.Contains("section 'tp_btf/sched_swatch' attaches to 'sched_swatch'", error.Message);
        Assert.Contains($"the kernel's BTF ({KernelBtf.VmlinuxPath}) has no TYPEDEF 'btf_trace_sched_swatch'", error.Message);
        Assert.Contains("no tracepoint 'sched_swatch'", error.Message);
        Assert.Equal(before, FdCount.Bpf()); // the maps made before the failure are closed
    }

    [Fact]
    public void A_function_the_kernel_lacks_is_named()
    {
        Kernel.RequireBpf();
        var error = Assert.Throws<BpfLoadException>(() => Renamed("tp_btf/sched_switch", "fexit/vfs_fallocatX").Load());

        Assert.Equal("on_sched_switch", error.ProgramName);
        Assert.Contains("has no FUNC 'vfs_fallocatX': this kernel has no function 'vfs_fallocatX'", error.Message);
    }

    [Fact]
    public void An_iterator_the_kernel_lacks_is_named()
    {
        Kernel.RequireBpf();
        var error = Assert.Throws<BpfLoadException>(() => Renamed("iter/task", "iter/tasX").Load());

        Assert.Equal("each_task", error.ProgramName);
        Assert.Contains("has no FUNC 'bpf_iter_tasX': this kernel has no BPF iterator 'tasX'", error.Message);
    }

    [Fact]
    public void A_section_without_a_target_asks_for_one()
    {
        Kernel.RequireBpf();
        // A NUL cuts the section name to "tp_btf" in the string table.
        var error = Assert.Throws<BpfLoadException>(() => Renamed("tp_btf/sched_switch", "tp_btf\0sched_switch").Load());

        Assert.Equal("on_sched_switch", error.ProgramName);
        Assert.Contains("section 'tp_btf' names no attach target", error.Message);
        Assert.Contains("SEC(\"tp_btf/sched_switch\")", error.Message);
    }

    [Fact]
    public void Xdpdump_attaches_to_a_placeholder_function_that_is_not_in_the_kernel_as_with_bpftool()
    {
        // xdpdump_bpf.o's fentry/func and fexit/func name their target at run time (libbpf's
        // bpf_program__set_attach_target); loaded as they are, they fail here as with bpftool.
        Kernel.RequireBpf();
        var path = Path.Combine(Fixtures.XdpToolsDirectory, "xdpdump_bpf.o");
        if (!File.Exists(path))
            Kernel.Unavailable($"{path} is not installed (apt install libxdp1)");

        var error = Assert.Throws<BpfLoadException>(() => BpfObjectSpec.Open(path).Load());

        Assert.Contains("section 'fentry/func' attaches to 'func'", error.Message);
        Assert.Contains("has no FUNC 'func'", error.Message);
    }

    [Theory]
    [InlineData("tp_btf/x", BtfKind.Typedef, "btf_trace_")]
    [InlineData("fentry/x", BtfKind.Func, "")]
    [InlineData("fexit/x", BtfKind.Func, "")]
    [InlineData("fmod_ret/x", BtfKind.Func, "")]
    [InlineData("lsm/x", BtfKind.Func, "bpf_lsm_")]
    [InlineData("iter/x", BtfKind.Func, "bpf_iter_")]
    [InlineData("fentry.s/x", BtfKind.Func, "")]
    [InlineData("lsm.s/x", BtfKind.Func, "bpf_lsm_")]
    [InlineData("iter.s/x", BtfKind.Func, "bpf_iter_")]
    public void Each_section_looks_its_target_up_as_libbpf_does(string section, BtfKind kind, string prefix) =>
        Assert.Equal((kind, prefix), AttachBtfTargets.TypeOf(ProgramSections.Get(section)));

    [Fact]
    public void Bad_arguments_are_refused_by_name()
    {
        Kernel.RequireBpf();
        var xdp = ProgramSections.Get("xdp");
        Assert.Equal("section", Assert.Throws<ArgumentException>(() => AttachBtfTargets.TypeOf(xdp)).ParamName);
        Assert.Throws<ArgumentNullException>(() => AttachBtfTargets.TypeOf(null!));

        var spec = Fixtures.Open("clang19", "tracing");
        var program = spec.Object.GetProgram("on_sched_switch");
        var section = spec.SectionOf(program);
        var btf = KernelBtf.Vmlinux;
        Assert.Throws<ArgumentException>(() => AttachBtfTargets.Find("", program, section, btf));
        Assert.Throws<ArgumentNullException>(() => AttachBtfTargets.Find("o", null!, section, btf));
        Assert.Throws<ArgumentNullException>(() => AttachBtfTargets.Find("o", program, null!, btf));
        Assert.Throws<ArgumentNullException>(() => AttachBtfTargets.Find("o", program, section, null!));
        Assert.Equal("section", Assert.Throws<ArgumentException>(() => AttachBtfTargets.Find("o", program, xdp, btf)).ParamName);
        var other = ProgramSections.Get("fentry/do_nanosleep");
        Assert.Contains("pass BpfObjectSpec.SectionOf(program)", Assert.Throws<ArgumentException>(() => AttachBtfTargets.Find("o", program, other, btf)).Message);
        Assert.Throws<ArgumentException>(() => AttachBtfTargets.Find("", program, section));
        Assert.Throws<ArgumentNullException>(() => AttachBtfTargets.Find("o", null!, section));
        Assert.Equal("section", Assert.Throws<ArgumentException>(() => AttachBtfTargets.Find("o", program, xdp)).ParamName);
    }

    [Fact]
    public void A_missing_or_corrupt_kernel_btf_is_explained()
    {
        var missing = Path.Combine(Path.GetTempPath(), "cpumap-no-btf-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<BpfOperationException>(() => KernelBtf.Read(missing));
        Assert.Equal((KernelBtf.Operation, null), (error.Operation, error.Errno));
        Assert.Contains(missing, error.Message);
        Assert.Contains("CONFIG_DEBUG_INFO_BTF", error.Message);

        var corrupt = missing + ".btf";
        File.WriteAllBytes(corrupt, [0x9f, 0xeb, 1, 0, 24, 0, 0, 0]);
        try
        {
            error = Assert.Throws<BpfOperationException>(() => KernelBtf.Read(corrupt));
            Assert.Equal(KernelBtf.Operation, error.Operation);
            Assert.Contains($"The kernel's BTF at {corrupt} is not valid BTF", error.Message);
            Assert.IsType<BpfObjectException>(error.InnerException);
        }
        finally
        {
            File.Delete(corrupt);
        }
        Assert.Throws<ArgumentException>(() => KernelBtf.Read(""));
    }

    [Fact]
    public void The_kernel_btf_is_mapped_in_place_not_read_into_memory()
    {
        Kernel.RequireTool("bpftool");
        var btf = KernelBtf.Vmlinux;

        // Mapped (Linux 6.16+): one mapping of the file, and its 5 MB are the kernel's pages, not a copy in this process.
        Assert.Contains(KernelBtf.VmlinuxPath, File.ReadAllText("/proc/self/maps"));
        Assert.Equal(new FileInfo(KernelBtf.VmlinuxPath).Length, btf.Length);
        Assert.Equal(BpftoolIds.Value["TYPEDEF btf_trace_sched_switch"], btf.Find("btf_trace_sched_switch", BtfKind.Typedef));
    }

    [Fact]
    public void A_btf_file_that_cannot_be_mapped_is_read_instead()
    {
        // A pipe cannot be mapped (mmap answers EINVAL or ENODEV, as an older kernel's sysfs file does): the same
        // blob comes through read(2). One INT named "a", 4 bytes.
        byte[] btf =
        [
            0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 16, 0, 0, 0, 3, 0, 0, 0,
            1, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0, 32, 0, 0, 0,
            0, (byte)'a', 0,
        ];
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.Out);
        pipe.Write(btf);
        pipe.SafePipeHandle.Dispose(); // the writer's end: the reader sees the end of the blob
        var path = $"/proc/self/fd/{pipe.ClientSafePipeHandle.DangerousGetHandle()}";
        Assert.Null(ReadOnlyFileMapping.TryMap(path, out _));

        var read = KernelBtf.Read(path);

        Assert.Equal(btf.Length, read.Length);
        Assert.Equal(1u, read.Find("a", BtfKind.Int));
    }

    private static BpfObjectSpec Renamed(string from, string to) =>
        BpfObjectSpec.From(BpfObject.Parse(FixtureBytes.Renamed("clang19", "tracing", from, to), "tracing.o"));

    private static uint VmlinuxBtfObjectId() =>
        uint.Parse(Regex.Match(Shell.Run("bpftool", "btf", "list"), @"^(\d+): name \[vmlinux\]", RegexOptions.Multiline).Groups[1].Value);

    [GeneratedRegex(@"^\[(\d+)\] (TYPEDEF|FUNC|VAR|STRUCT) '([^']+)'", RegexOptions.Multiline)]
    private static partial Regex BtfDumpLine();
}
