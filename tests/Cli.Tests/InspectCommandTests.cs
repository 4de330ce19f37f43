using System.Text.Json;

namespace CpuMap.Managed.Cli.Tests;

public sealed class InspectCommandTests
{
    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Tables_show_maps_programs_variables_and_relocations(string compiler)
    {
        var (code, output, error) = CpumapInProcess.Invoke("inspect", Fixtures.PathOf(compiler, "round_robin"));

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains("BPF_MAP_TYPE_CPUMAP", output);
        Assert.Contains("BPF_MAP_TYPE_PERCPU_ARRAY", output);
        Assert.Contains("xdp_redir_cpu_round_robin", output);
        Assert.Contains("BPF_XDP_CPUMAP", output);
        Assert.Contains("nr_cpus", output);
        Assert.Contains("round_ro.rodata", output);
        Assert.Contains("MapReference", output);
        Assert.Contains("GlobalData", output);
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Json_describes_the_object(string compiler)
    {
        var (code, output, _) = CpumapInProcess.Invoke("inspect", Fixtures.PathOf(compiler, "subprograms"), "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("subprograms.o", root.GetProperty("object").GetString());
        Assert.Equal("GPL", root.GetProperty("license").GetString());
        var map = Assert.Single(root.GetProperty("maps").EnumerateArray());
        Assert.Equal("subprog_hits", map.GetProperty("name").GetString());
        Assert.Equal("BPF_MAP_TYPE_ARRAY", map.GetProperty("type").GetString());
        Assert.Equal(8u, map.GetProperty("value_size").GetUInt32());
        var programs = root.GetProperty("programs").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.Equal("BPF_PROG_TYPE_SCHED_CLS", programs["tc_with_calls"].GetProperty("type").GetString());
        Assert.True(programs["bump"].GetProperty("subprogram").GetBoolean());
        Assert.Contains(programs["xdp_with_calls"].GetProperty("relocations").EnumerateArray(),
            r => r.GetProperty("kind").GetString() == "SubprogramCall" && r.GetProperty("target").GetString() == "classify_length");
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Maps_made_with_btf_and_externs_are_shown(string compiler)
    {
        var (code, output, error) = CpumapInProcess.Invoke("inspect", Fixtures.PathOf(compiler, "spin_lock"));
        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains("map 'counters' is created with the object's BTF: its value holds bpf_spin_lock", output);

        (code, output, _) = CpumapInProcess.Invoke("inspect", Fixtures.PathOf(compiler, "externs"), "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var externs = json.RootElement.GetProperty("externs").EnumerateArray()
            .ToDictionary(e => e.GetProperty("name").GetString()!, e => (e.GetProperty("kind").GetString(), e.GetProperty("weak").GetBoolean()));
        Assert.Equal(("kfunc", false), externs["bpf_dynptr_from_xdp"]);
        Assert.Equal(("kfunc", true), externs["bpf_cpumap_no_such_kfunc"]);
        Assert.Equal(("kconfig", false), externs["CONFIG_HZ"]);
        Assert.Equal(("kconfig", true), externs["CONFIG_CPUMAP_NO_SUCH_OPTION"]);
        Assert.Equal(9, externs.Count);
        Assert.All(json.RootElement.GetProperty("maps").EnumerateArray(), m => Assert.Empty(m.GetProperty("btf_fields").EnumerateArray()));
    }

    [Fact]
    public void Global_variables_are_listed_with_type_and_value()
    {
        var (code, output, _) = CpumapInProcess.Invoke("inspect", Fixtures.PathOf("clang19", "global_data"), "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var variables = json.RootElement.GetProperty("global_data").EnumerateArray()
            .SelectMany(d => d.GetProperty("variables").EnumerateArray()).ToDictionary(v => v.GetProperty("name").GetString()!);
        Assert.Equal("7", variables["rodata_limit"].GetProperty("value").GetString());
        Assert.Equal("42", variables["data_counter"].GetProperty("value").GetString());
        Assert.Equal("5", variables["custom_data"].GetProperty("value").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_global_variable_without_a_name_is_listed_with_its_value(bool asJson)
    {
        // Found by fuzzing: an empty symbol (and VAR) name made `inspect` look the variable up by
        // name, which refuses "", and die with an ArgumentException and its stack trace.
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "nameless.o");
        File.WriteAllBytes(path, FixtureBytes.Renamed("clang19", "global_data", "data_counter", "\0ata_counter"));

        var (code, output, error) = asJson ? CpumapInProcess.Invoke("inspect", path, "--json") : CpumapInProcess.Invoke("inspect", path);

        Assert.Equal((0, ""), (code, error));
        if (asJson)
        {
            using var json = JsonDocument.Parse(output);
            var nameless = json.RootElement.GetProperty("global_data").EnumerateArray()
                .SelectMany(d => d.GetProperty("variables").EnumerateArray()).Single(v => v.GetProperty("name").GetString() == "");
            Assert.Equal("42", nameless.GetProperty("value").GetString());
        }
        else
        {
            Assert.Contains("rodata_limit", output);
            Assert.Contains("42", output);
        }
    }

    [Fact]
    public void A_missing_file_fails_naming_it()
    {
        var (code, output, error) = CpumapInProcess.Invoke("inspect", "/nonexistent/x.o");

        Assert.NotEqual(0, code);
        Assert.Empty(output);
        Assert.Contains("cpumap inspect: /nonexistent/x.o: no such file", error);
    }

    [Fact]
    public void A_file_that_is_not_a_bpf_object_fails_with_the_readers_reason()
    {
        var path = Path.Combine(Path.GetTempPath(), "cpumap-not-elf-" + Guid.NewGuid().ToString("N")[..8] + ".o");
        File.WriteAllText(path, "not an ELF file");
        try
        {
            var (code, _, error) = CpumapInProcess.Invoke("inspect", path);

            Assert.NotEqual(0, code);
            Assert.Contains("cpumap inspect: ", error);
            Assert.Contains(Path.GetFileName(path), error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures.InvalidFixtures), MemberType = typeof(Fixtures))]
    public void Invalid_fixtures_fail_with_exit_code_1(string compiler, string name)
    {
        var (code, _, error) = CpumapInProcess.Invoke("inspect", Fixtures.PathOf(compiler, name));

        Assert.Equal(1, code);
        Assert.Contains(name + ".o", error);
    }

    [Fact]
    public void A_missing_argument_is_a_usage_error()
    {
        var (code, _, error) = CpumapInProcess.Invoke("inspect");

        Assert.NotEqual(0, code);
        Assert.Contains("FILE.o", error);
    }

    [Fact]
    public void Inspect_shows_an_unknown_section_without_failing()
    {
        var path = Path.Combine(Path.GetTempPath(), "cpumap-unknown-" + Guid.NewGuid().ToString("N")[..8] + ".o");
        File.WriteAllBytes(path, FixtureBytes.Renamed("clang19", "multi_prog", "kprobe/do_nanosleep", "kprobX/do_nanosleep"));
        try
        {
            var (code, output, _) = CpumapInProcess.Invoke("inspect", path);

            Assert.Equal(0, code);
            Assert.Contains("unknown section", output);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
