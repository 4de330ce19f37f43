namespace CpuMap.Managed.Publish.Tests;

/// <summary>
/// The linux-arm64 binaries, cross-compiled on x64 by scripts/publish: aarch64 executables that need only
/// the C library, run here under qemu-user (qemu-aarch64-static with Debian's arm64 C library as its root).
/// Only commands that need no bpf(2) are run: qemu-user does not pass bpf(2) through (it answers ENOSYS);
/// <see cref="Arm64KernelTests"/> runs `cpumap load`, `probe` and `demo` on an arm64 kernel in qemu-system-aarch64.
/// </summary>
public sealed class Arm64Tests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Where Debian's libc6-arm64-cross puts the arm64 C library and dynamic loader.</summary>
    private const string Arm64Root = "/usr/aarch64-linux-gnu";

    [Theory]
    [InlineData("cpumap")]
    [InlineData("bpfasm")]
    public void Binary_is_aarch64_and_needs_only_the_C_library(string binary)
    {
        var readelf = Kernel.RequireTool("readelf");
        var path = Path.Combine(PublishedBinary.Arm64Directory(), binary);

        var (headerExit, header) = PublishedBinary.Run(readelf, ["-h", path], Timeout);
        Assert.True(headerExit == 0, $"readelf -h {path} failed:\n{header}");
        Assert.Contains("AArch64", header);

        var (dynamicExit, dynamic) = PublishedBinary.Run(readelf, ["-d", path], Timeout);
        Assert.True(dynamicExit == 0, $"readelf -d {path} failed:\n{dynamic}");
        var needed = dynamic.Split('\n')
            .Where(line => line.Contains("(NEEDED)", StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf('[') + 1)..line.IndexOf(']')])
            .ToList();
        Assert.Contains("libc.so.6", needed);
        foreach (var library in needed)
            Assert.True(library is "libc.so.6" or "libm.so.6" or "ld-linux-aarch64.so.1",
                $"{binary} needs {library}; only libc, libm and the dynamic loader may be needed");
        Assert.DoesNotContain(needed, library => PublishedBinary.ForbiddenLibraries.Any(name => library.Contains(name, StringComparison.Ordinal)));
    }

    [Fact]
    public void Cpumap_help_and_inspect_run_under_qemu()
    {
        var dir = Arm64Ready();

        var help = RunUnderQemu(dir, "cpumap", "--help");
        Assert.Contains("cpumap: XDP CPU redirect", help);
        Assert.Contains("inspect <FILE.o>", help);

        var inspect = RunUnderQemu(dir, "cpumap", "inspect", Fixtures.PathOf("clang19", "round_robin"));
        Assert.Contains("license GPL, 4 maps, 2 programs", inspect);
        Assert.Contains("BPF_MAP_TYPE_CPUMAP", inspect);
        Assert.Contains("xdp_redir_cpu_round_robin", inspect);
        Assert.Contains("nr_cpus", inspect);
    }

    [Fact]
    public void Bpfasm_disassembles_and_reassembles_the_object_under_qemu()
    {
        var objcopy = Kernel.RequireTool("llvm-objcopy-19");
        var dir = Arm64Ready();
        var fixture = Fixtures.PathOf("clang19", "round_robin");
        using var temp = new TempDir();

        var listing = RunUnderQemu(dir, "bpfasm", "dis", fixture);
        Assert.Contains("<xdp_redir_cpu_round_robin>:", listing);
        Assert.Contains("<xdp_cpumap_count>:", listing);
        var text = Path.Combine(temp.Path, "round_robin.s");
        File.WriteAllText(text, listing);

        var raw = Path.Combine(temp.Path, "round_robin.bin");
        RunUnderQemu(dir, "bpfasm", "asm", text, "-o", raw);

        // The reassembled bytes are the object's two program sections, in order (map references stay 0).
        var expected = new List<byte>();
        foreach (var section in new[] { "xdp", "xdp/cpumap" })
        {
            var part = Path.Combine(temp.Path, section.Replace('/', '_') + ".bin");
            var (exit, output) = PublishedBinary.Run(objcopy, ["-O", "binary", $"--only-section={section}", fixture, part], Timeout);
            Assert.True(exit == 0, $"llvm-objcopy-19 --only-section={section} failed:\n{output}");
            expected.AddRange(File.ReadAllBytes(part));
        }
        Assert.Equal(51 * 8, expected.Count);
        Assert.Equal(expected.ToArray(), File.ReadAllBytes(raw));
    }

    /// <summary>The arm64 publish folder, once qemu-aarch64-static and the arm64 C library are there.</summary>
    private static string Arm64Ready()
    {
        Kernel.RequireTool("qemu-aarch64-static");
        if (!File.Exists(Path.Combine(Arm64Root, "lib", "ld-linux-aarch64.so.1")))
            Kernel.Unavailable($"the test needs the arm64 C library in {Arm64Root} (libc6-arm64-cross); scripts/install-deps.sh installs it");
        return PublishedBinary.Arm64Directory();
    }

    private static string RunUnderQemu(string dir, string binary, params string[] arguments)
    {
        var qemu = Kernel.RequireTool("qemu-aarch64-static");
        var (exit, output) = PublishedBinary.Run(qemu, ["-L", Arm64Root, Path.Combine(dir, binary), .. arguments], Timeout);
        Assert.True(exit == 0, $"qemu-aarch64-static {binary} {string.Join(' ', arguments)} exited with {exit}:\n{output}");
        return output;
    }
}
