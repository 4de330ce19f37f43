using System.Buffers.Binary;
using System.Text;
using CpuMap.Managed.Elf;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader.Tests;

/// <summary>
/// __ksym and __kconfig externs resolved against the running kernel: kfunc calls the kernel makes (their results
/// checked against the frame sent), a weak kfunc the kernel lacks, CONFIG_* values checked against the kernel's
/// own /proc/config.gz read here with zcat, and LINUX_KERNEL_VERSION against uname -r. Where libbpf loads the same
/// object, bpftool's translated program must be ours.
/// </summary>
[Collection(nameof(FdCounting))] // counts the process's BPF fds: alone, not beside tests that open and close them
public sealed class ExternTests
{
    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Kfuncs_the_kernel_has_are_called_and_a_weak_one_it_lacks_is_absent(string compiler)
    {
        Kernel.RequireBpf();
        var spec = Fixtures.Open(compiler, "externs");
        using var collection = spec.Load();

        // bpf_dynptr_from_xdp over the frame sent, then bpf_dynptr_size of it: the kernel's count of the frame's bytes.
        var run = Bpf.ProgTestRun(collection.GetProgram("call_kfuncs").Fd, LoadTests.Frame(100));

        Assert.Equal(XdpAction.Pass, run.XdpAction);
        Assert.Equal(100L, Read<long>(spec, collection, "frame_size"));
        Assert.Equal(0u, Read<uint>(spec, collection, "weak_kfunc_exists")); // was 7: the program wrote bpf_ksym_exists()'s 0
        Assert.Equal(0u, Read<uint>(spec, collection, "weak_kfunc_result"));
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Kconfig_values_are_the_kernels_own(string compiler)
    {
        Kernel.RequireBpf();
        var config = KernelConfigByZcat();
        var spec = Fixtures.Open(compiler, "externs");
        using var collection = spec.Load();

        Assert.Equal(XdpAction.Pass, Bpf.ProgTestRun(collection.GetProgram("read_kconfig").Fd, LoadTests.Frame(64)).XdpAction);

        var release = Shell.Run("uname", "-r").Trim();
        var numbers = release.Split('-')[0].Split('.').Select(uint.Parse).ToArray();
        Assert.Equal((numbers[0] << 16) + (numbers[1] << 8) + Math.Min(numbers[2], 255), Read<uint>(spec, collection, "kernel_version"));
        Assert.Equal(uint.Parse(config["CONFIG_HZ"]), Read<uint>(spec, collection, "hz"));
        Assert.Equal(config.GetValueOrDefault("CONFIG_BPF_SYSCALL") == "y" ? 1u : 0u, Read<uint>(spec, collection, "bpf_syscall"));
        Assert.Equal(config.GetValueOrDefault("CONFIG_VETH") switch { "y" => 1u, "m" => 2u, _ => 0u }, Read<uint>(spec, collection, "veth"));
        var hostname = new byte[16];
        Encoding.ASCII.GetBytes(config["CONFIG_DEFAULT_HOSTNAME"].Trim('"')).AsSpan(0, Math.Min(15, config["CONFIG_DEFAULT_HOSTNAME"].Length - 2)).CopyTo(hostname);
        Assert.Equal(hostname, Bss(spec, collection, "hostname", 16));
        Assert.False(config.ContainsKey("CONFIG_CPUMAP_NO_SUCH_OPTION"));
        Assert.Equal(0u, Read<uint>(spec, collection, "no_such_option")); // was 7: a weak option the kernel lacks reads 0

        // The .kconfig map: read-only to programs and frozen, as libbpf makes it.
        var kconfig = collection.GetMap(".kconfig");
        Assert.Equal("externs.kconfig", kconfig.KernelName);
        var info = Bpf.ObjGetInfoByFd(kconfig.Fd);
        Assert.Equal(BpfMapFlags.RdonlyProg, info.MapFlags & BpfMapFlags.RdonlyProg);
        Assert.Throws<BpfException>(() => Bpf.MapUpdateElem(kconfig.Fd, new byte[4], new byte[info.ValueSize]));
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void The_programs_are_what_libbpf_loads(string compiler)
    {
        Kernel.RequireBpf();
        var bpftool = Kernel.RequireTool("bpftool");
        var path = Fixtures.PathOf(compiler, "externs");
        using var collection = BpfObjectSpec.Open(path).Load();
        using var pins = new BpfFsFolder();
        Shell.Run(bpftool, "prog", "loadall", path, pins.Path);

        // The same kfunc ids, the same dead weak call, and the .kconfig values at libbpf's offsets.
        foreach (var program in new[] { "call_kfuncs", "read_kconfig" })
            Assert.Equal(ProgramBtfTests.Xlated(bpftool, "pinned", Path.Combine(pins.Path, program)),
                ProgramBtfTests.Xlated(bpftool, "id", collection.GetProgram(program).Id.ToString()));
        Assert.Contains("call bpf_dynptr_from_xdp#", ProgramBtfTests.Xlated(bpftool, "id", collection.GetProgram("call_kfuncs").Id.ToString()));
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void A_kfunc_the_kernel_lacks_is_named_and_nothing_is_made(string compiler)
    {
        Kernel.RequireBpf();
        var bpftool = Kernel.RequireTool("bpftool");
        var before = FdCount.Bpf();

        var e = Assert.Throws<BpfLoadException>(() => Fixtures.Open(compiler, "invalid_kfunc").Load());

        Assert.Contains("calls kfunc 'bpf_cpumap_no_such_kfunc', which the running kernel does not have", e.Message);
        Assert.Contains("declare it __weak", e.Message);
        Assert.Equal(before, FdCount.Bpf());
        // libbpf refuses it too, for the same missing kfunc.
        var (code, _, error) = LoadAll(bpftool, Fixtures.PathOf(compiler, "invalid_kfunc"));
        Assert.NotEqual(0, code);
        Assert.Contains("bpf_cpumap_no_such_kfunc", error);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void A_kconfig_option_the_kernel_lacks_is_named(string compiler)
    {
        Kernel.RequireBpf();
        var bpftool = Kernel.RequireTool("bpftool");

        var e = Assert.Throws<BpfLoadException>(() => Fixtures.Open(compiler, "invalid_kconfig").Load());

        Assert.Contains("__kconfig extern 'CONFIG_CPUMAP_NO_SUCH_OPTION' is not set in the running kernel's configuration", e.Message);
        Assert.Contains("declare it __weak", e.Message);
        var (code, _, error) = LoadAll(bpftool, Fixtures.PathOf(compiler, "invalid_kconfig"));
        Assert.NotEqual(0, code);
        Assert.Contains("CONFIG_CPUMAP_NO_SUCH_OPTION", error);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void A_typed_ksym_variable_loads_where_libbpf_loads_it(string compiler)
    {
        // The kernel needs the variable's address (CONFIG_KALLSYMS_ALL); where it has none, libbpf's load fails too.
        Kernel.RequireBpf();
        var bpftool = Kernel.RequireTool("bpftool");
        var path = Fixtures.PathOf(compiler, "ksym_variable");
        var (code, _, error) = LoadAll(bpftool, path);
        var spec = Fixtures.Open(compiler, "ksym_variable");
        if (code == 0)
        {
            using var collection = spec.Load();
            Bpf.ProgTestRun(collection.GetProgram("read_ksym_variable").Fd, LoadTests.Frame(64));
            // runqueues->cpu of this CPU's runqueue is this CPU's number (a test run does not migrate mid-program).
            Assert.Equal(Read<int>(spec, collection, "smp_processor_id"), Read<int>(spec, collection, "runqueue_cpu"));
        }
        else
        {
            var e = Assert.Throws<BpfLoadException>(() => spec.Load());
            BpftoolRefusal.AssertSameReason(error, e);
            Assert.Contains("address of kernel variable 'runqueues'", e.Message);
            Assert.Contains("CONFIG_KALLSYMS_ALL", e.Message);
        }
    }

    [Fact]
    public void Kernel_versions_and_configs_parse_as_libbpf_reads_them()
    {
        Assert.Equal((6u << 16) + (18u << 8) + 44, KernelConfig.VersionCode("6.18.44-fc-v1045"));
        Assert.Equal((5u << 16) + (4u << 8) + 255, KernelConfig.VersionCode("5.4.300")); // the patch level caps at 255
        Assert.Equal((6u << 16) + (1u << 8), KernelConfig.VersionCode("6.1-rc3"));
        Assert.Throws<FormatException>(() => KernelConfig.VersionCode("linux"));
        Assert.Throws<FormatException>(() => KernelConfig.VersionCode("6"));
        Assert.Throws<ArgumentNullException>(() => KernelConfig.VersionCode(null!));

        var parsed = KernelConfig.Parse(new StringReader("#\n# CONFIG_A is not set\nCONFIG_B=y\nCONFIG_C=\"x y\"\n\nCONFIG_D=0x10\n"));
        Assert.Equal(new Dictionary<string, string> { ["CONFIG_B"] = "y", ["CONFIG_C"] = "\"x y\"", ["CONFIG_D"] = "0x10" }, parsed);

        var missing = Path.Combine(Path.GetTempPath(), "cpumap-no-config-" + Guid.NewGuid().ToString("N"));
        Assert.Contains(missing, Assert.Throws<BpfOperationException>(() => KernelConfig.Read(missing)).Message);
        var notGzip = missing + ".gz";
        File.WriteAllText(notGzip, "CONFIG_B=y\n");
        try
        {
            Assert.Contains(notGzip, Assert.Throws<BpfOperationException>(() => KernelConfig.Read(notGzip)).Message);
        }
        finally
        {
            File.Delete(notGzip);
        }
        Assert.Throws<ArgumentException>(() => KernelConfig.Read(""));
        Assert.Throws<ArgumentNullException>(() => KernelConfig.Parse(null!));
    }

    [Fact]
    public void The_kernel_config_read_with_GZipStream_is_zcats()
    {
        if (!File.Exists(KernelConfig.ProcConfigPath))
            Assert.Skip($"{KernelConfig.ProcConfigPath} is missing (a kernel without CONFIG_IKCONFIG_PROC)");
        Assert.Equal(KernelConfigByZcat(), KernelConfig.Read(KernelConfig.ProcConfigPath));
    }

    private static Dictionary<string, string> KernelConfigByZcat()
    {
        var text = File.Exists($"/boot/config-{Shell.Run("uname", "-r").Trim()}")
            ? File.ReadAllText($"/boot/config-{Shell.Run("uname", "-r").Trim()}")
            : Shell.Run("zcat", KernelConfig.ProcConfigPath);
        var options = new Dictionary<string, string>();
        foreach (var line in text.Split('\n'))
            if (line.StartsWith("CONFIG_", StringComparison.Ordinal) && line.Split('=', 2) is [var name, var value])
                options[name] = value;
        return options;
    }

    private static (int Code, string Output, string Error) LoadAll(string bpftool, string path) =>
        Shell.Try("unshare", "-m", "sh", "-c", $"mount -t bpf bpf /sys/fs/bpf && exec {bpftool} prog loadall \"$0\" /sys/fs/bpf/loadall", path);

    private static byte[] Bss(BpfObjectSpec spec, BpfCollection collection, string variable, int size)
    {
        var (section, found) = spec.Object.GetVariable(variable);
        var value = new byte[section.Size];
        Assert.True(Bpf.MapLookupElem(collection.GetMap(section.Name).Fd, new byte[4], value));
        return value.AsSpan(found.Offset, size).ToArray();
    }

    private static T Read<T>(BpfObjectSpec spec, BpfCollection collection, string variable) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.Read<T>(Bss(spec, collection, variable, System.Runtime.CompilerServices.Unsafe.SizeOf<T>()));
}
