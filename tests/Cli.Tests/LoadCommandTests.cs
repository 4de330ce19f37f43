using System.Text.Json;

namespace CpuMap.Managed.Cli.Tests;

public sealed class LoadCommandTests
{
    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Prints_every_map_and_program_with_its_kernel_id(string compiler)
    {
        Kernel.RequireBpf();

        var (code, output, error) = CpumapInProcess.Invoke("load", Fixtures.PathOf(compiler, "round_robin"), "--set", "nr_cpus=2", "--json");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var maps = json.RootElement.GetProperty("maps").EnumerateArray().ToList();
        var programs = json.RootElement.GetProperty("programs").EnumerateArray().ToList();
        Assert.Equal(5, maps.Count);
        Assert.Equal(2, programs.Count);
        Assert.All(maps, m => Assert.True(m.GetProperty("id").GetUInt32() > 0));
        Assert.All(programs, p => Assert.True(p.GetProperty("id").GetUInt32() > 0));
        Assert.Contains(maps, m => m.GetProperty("kernel_name").GetString() == "round_ro.rodata");
        Assert.Contains(programs, p => p.GetProperty("kernel_name").GetString() == "xdp_redir_cpu_r");
    }

    [Fact]
    public void Tables_are_the_default()
    {
        Kernel.RequireBpf();

        var (code, output, _) = CpumapInProcess.Invoke("load", Fixtures.PathOf("clang19", "multi_prog"));

        Assert.Equal(0, code);
        Assert.Contains("kprobe_nanosleep", output);
        Assert.Contains("BPF_PROG_TYPE_TRACEPOINT", output);
        Assert.Contains("Closed on exit", output);
    }

    [Fact]
    public void Set_may_be_repeated()
    {
        Kernel.RequireBpf();

        Kernel.RequireTool("bpftool");
        using var bpffs = new BpfFsFolder();

        var (code, _, error) = CpumapInProcess.Invoke("load", Fixtures.PathOf("clang19", "global_data"), "--set", "rodata_limit=3", "--set", "data_counter=0x10",
            "--pin", bpffs.Path, "--json");

        Assert.True(code == 0, error);
        // Both values are read back from the kernel by bpftool (the map's bytes as the kernel holds them
        // after the load), at the variables' offsets in their sections as llvm-nm reads the object's
        // symbol table: neither side of the check is the loader's own code.
        var obj = Fixtures.PathOf("clang19", "global_data");
        Assert.Equal(3u, Variable(obj, Path.Combine(bpffs.Path, "maps", "global_d_rodata"), "rodata_limit"));
        Assert.Equal(0x10u, Variable(obj, Path.Combine(bpffs.Path, "maps", "global_d_data"), "data_counter"));
        // A variable beside them that was not set keeps the object's initial value (rodata_table[0] = 1 in global_data.c).
        Assert.Equal(1u, Variable(obj, Path.Combine(bpffs.Path, "maps", "global_d_rodata"), "rodata_table"));

        static uint Variable(string obj, string pinnedMap, string name)
        {
            // llvm-nm -P: "name type value size", value and size in hex; the value of a data symbol is its section offset.
            var symbol = Shell.Run(Kernel.RequireTool("llvm-nm-19"), "-P", obj).Split('\n').Select(line => line.Split(' '))
                .Single(fields => fields[0] == name);
            var offset = Convert.ToInt32(symbol[2], 16);
            var dump = Shell.Run("bpftool", "map", "dump", "pinned", pinnedMap, "--json");
            using var json = JsonDocument.Parse(dump);
            var entries = json.RootElement.EnumerateArray().ToList();
            Assert.True(entries.Count == 1, $"bpftool shows {entries.Count} entries in {pinnedMap}, expected the section's one: {dump}");
            var bytes = entries[0].GetProperty("value").EnumerateArray().Select(b => Convert.ToByte(b.GetString(), 16)).ToArray();
            Assert.True(bytes.Length >= offset + 4, $"{pinnedMap} holds {bytes.Length} bytes, too few for '{name}' at offset {offset}");
            return BitConverter.ToUInt32(bytes, offset);
        }
    }

    [Fact]
    public void A_repeated_set_of_an_array_is_refused_with_the_way_to_do_it()
    {
        var (code, _, error) = CpumapInProcess.Invoke("load", Fixtures.PathOf("clang19", "global_data"), "--set", "rodata_limit=3", "--set", "rodata_table=1");

        Assert.Equal(1, code);
        Assert.Contains("--set 'rodata_table=1'", error);
        Assert.Contains("32-byte array", error);
        Assert.DoesNotContain("(Parameter", error);
    }

    [Theory]
    [InlineData("nr_cpus", "is not NAME=VALUE")]
    [InlineData("=2", "is not NAME=VALUE")]
    [InlineData("nr_cpus=", "is not NAME=VALUE")]
    [InlineData("nr_cpu=2", "no global variable 'nr_cpu'")]
    [InlineData("nr_cpus=-1", "out of range")]
    [InlineData("nr_cpus=99999999999", "out of range")]
    [InlineData("nr_cpus=two", "not a number")]
    public void Bad_set_is_refused_before_anything_is_loaded(string assignment, string message)
    {
        var (code, output, error) = CpumapInProcess.Invoke("load", Fixtures.PathOf("clang19", "round_robin"), "--set", assignment);

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains($"cpumap load: --set '{assignment}'", error);
        Assert.Contains(message, error);
    }

    [Fact]
    public void A_missing_file_fails_naming_it()
    {
        var (code, _, error) = CpumapInProcess.Invoke("load", "/nonexistent/y.o");

        Assert.Equal(1, code);
        Assert.Contains("cpumap load: /nonexistent/y.o: no such file", error);
    }

    [Theory]
    [MemberData(nameof(Fixtures.InvalidFixtures), MemberType = typeof(Fixtures))]
    public void Invalid_fixtures_fail_with_exit_code_1(string compiler, string name)
    {
        var (code, output, error) = CpumapInProcess.Invoke("load", Fixtures.PathOf(compiler, name));

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains(name + ".o", error);
    }

    [Fact]
    public void A_verifier_refusal_prints_the_last_lines_of_the_log()
    {
        Kernel.RequireBpf();

        var (code, output, error) = CpumapInProcess.Invoke("load", Fixtures.PathOf("clang19", "invalid_packet_access"));

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Contains("program 'unchecked_read'", error);
        Assert.Contains("Verifier log", error);
        Assert.Contains("invalid access to packet", error);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Bpftool_lists_what_load_pin_holds_under_its_own_names(string compiler)
    {
        Kernel.RequireTool("bpftool");
        using var bpffs = new BpfFsFolder();

        var (code, output, error) = CpumapInProcess.Invoke("load", Fixtures.PathOf(compiler, "round_robin"), "--pin", bpffs.Path, "--json");

        Assert.True(code == 0, error);
        using var loaded = JsonDocument.Parse(output);
        var maps = JsonDocument.Parse(Shell.Run("bpftool", "map", "show", "--json")).RootElement.EnumerateArray().ToDictionary(m => m.GetProperty("id").GetUInt32());
        var programs = JsonDocument.Parse(Shell.Run("bpftool", "prog", "show", "--json")).RootElement.EnumerateArray().ToDictionary(p => p.GetProperty("id").GetUInt32());
        foreach (var map in loaded.RootElement.GetProperty("maps").EnumerateArray())
        {
            var shown = maps[map.GetProperty("id").GetUInt32()];
            Assert.Equal(map.GetProperty("kernel_name").GetString(), shown.GetProperty("name").GetString());
            Assert.True(File.Exists(map.GetProperty("pinned").GetString()));
        }
        foreach (var program in loaded.RootElement.GetProperty("programs").EnumerateArray())
        {
            var shown = programs[program.GetProperty("id").GetUInt32()];
            // With program BTF bpftool shows the function's whole name from func_info, as for programs libbpf loaded.
            Assert.StartsWith(program.GetProperty("kernel_name").GetString()!, shown.GetProperty("name").GetString());
            Assert.Equal("xdp", shown.GetProperty("type").GetString());
        }
        var pinned = JsonDocument.Parse(Shell.Run("bpftool", "prog", "show", "pinned", Path.Combine(bpffs.Path, "progs", "xdp_redir_cpu_round_robin"), "--json"));
        Assert.Equal("xdp_redir_cpu_round_robin", pinned.RootElement.GetProperty("name").GetString());
        Assert.Contains("round_ro.rodata", Shell.Run("bpftool", "map", "show", "pinned", Path.Combine(bpffs.Path, "maps", "round_ro_rodata")));
    }

    [Fact]
    public void The_load_command_prints_the_warning_once_on_standard_error()
    {
        // BTF the kernel refuses (a parameter name it finds invalid) is left out of the load, with a warning.
        Kernel.RequireBpf();
        using var temp = new TempDir();
        var path = Path.Combine(temp.Path, "subprograms.o");
        File.WriteAllBytes(path, FixtureBytes.Renamed("clang19", "subprograms", "\0slot\0", "\0sl-t\0"));

        var (code, output, error) = CpumapInProcess.Invoke("load", path, "--json");

        Assert.Equal(0, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("cpumap load: warning: subprograms.o: loading the programs without BTF", line);
        JsonDocument.Parse(output).Dispose(); // standard output stays one JSON document
    }

    [Fact]
    public void Only_objects_with_programs_that_attach_by_btf_id_read_the_kernel_btf()
    {
        // The kernel's BTF costs a few hundred milliseconds to parse: an XDP object must never pay
        // for it. A fresh `cpumap load` process under strace shows which files a load opens.
        Kernel.RequireBpf();
        Kernel.RequireTool("strace");

        Assert.False(OpensKernelBtf("round_robin"));
        Assert.True(OpensKernelBtf("tracing"));
    }

    private static bool OpensKernelBtf(string fixture)
    {
        var trace = Path.Combine(Path.GetTempPath(), $"cpumap-strace-{Guid.NewGuid():N}.txt");
        try
        {
            var (code, _, error) = Shell.Try("strace", "-f", "-qq", "--seccomp-bpf", "-e", "trace=openat", "-o", trace,
                Path.Combine(AppContext.BaseDirectory, "cpumap"), "load", Fixtures.PathOf("clang19", fixture));
            Assert.True(code == 0, $"cpumap load {fixture}.o failed: {error}");
            return File.ReadAllText(trace).Contains(Loader.KernelBtf.VmlinuxPath, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(trace);
        }
    }
}
