namespace CpuMap.Managed.Testing;

/// <summary>
/// The compiled fixtures (tests/fixtures/obj/clangNN/*.o, copied next to the test binary) and where Debian's
/// xdp-tools (libxdp1) installs its BPF objects. Each test project adds how it opens them, as extension members of this class.
/// </summary>
public static class Fixtures
{
    public static readonly string[] Compilers = ["clang14", "clang19"];

    public static readonly string[] Valid = ["round_robin", "legacy_maps", "global_data", "subprograms", "multi_prog", "map_features", "btf_kinds", "tracing", "core_relo", "global_func", "externs", "callbacks", "sections", "spin_lock", "flow_hash"];

    public static readonly string[] Invalid = ["invalid_static_map", "invalid_btf_map", "invalid_extern"];

    /// <summary>Valid objects the kernel refuses: a CO-RE relocation it cannot satisfy, a packet read the verifier refuses.</summary>
    public static readonly string[] Refused = ["invalid_core_field", "invalid_packet_access", "invalid_kfunc", "invalid_kconfig"];

    /// <summary>Valid objects that load only where the kernel allows what they ask (a typed __ksym variable needs CONFIG_KALLSYMS_ALL).</summary>
    public static readonly string[] KernelDependent = ["ksym_variable"];

    /// <summary>Valid objects that load only once configured (map sizes, program types), as their projects' user space does.</summary>
    public static readonly string[] NeedConfiguring = ["xdp_bench_cpumap", "socket_filters"];

    /// <summary>
    /// Valid objects written against vmlinux.h, which scripts/build-fixtures.sh dumps from the running kernel: their bytes
    /// are those of the kernel they were built on (tests/fixtures/obj/vmlinux.h.sha256 names its vmlinux.h).
    /// </summary>
    public static readonly string[] FromVmlinuxH = ["task_core"];

    /// <summary>Every fixture, as scripts/build-fixtures.sh builds them.</summary>
    public static IEnumerable<string> All => Valid.Concat(Invalid).Concat(Refused).Concat(NeedConfiguring).Concat(KernelDependent).Concat(FromVmlinuxH);

    /// <summary>Where the sha256 of the vmlinux.h that built <see cref="FromVmlinuxH"/> is kept, beside the compilers' folders.</summary>
    public const string VmlinuxHashFile = "vmlinux.h.sha256";

    /// <summary>The BPF objects Debian's libxdp1 (xdp-tools) installs: other people's clang output.</summary>
    public const string XdpToolsDirectory = "/usr/lib/x86_64-linux-gnu/bpf";

    public static string PathOf(string compiler, string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", compiler, name + ".o");

    public static TheoryData<string, string> ValidFixtures() => Cross(Valid);

    public static TheoryData<string, string> InvalidFixtures() => Cross(Invalid);

    public static TheoryData<string> EachCompiler() => new(Compilers);

    private static TheoryData<string, string> Cross(string[] names)
    {
        var data = new TheoryData<string, string>();
        foreach (var compiler in Compilers)
            foreach (var name in names)
                data.Add(compiler, name);
        return data;
    }
}
