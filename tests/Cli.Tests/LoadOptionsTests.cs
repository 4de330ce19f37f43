using System.Text.Json;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Cli.Tests;

/// <summary>
/// `cpumap load`'s options that configure the object before loading: each is checked by what the kernel then holds
/// (the maps' and programs' info, a pinned map read back), and each bad value by its message.
/// </summary>
public sealed class LoadOptionsTests
{
    private static string XdpBench => Fixtures.PathOf("clang19", "xdp_bench_cpumap");

    [Fact]
    public void An_xdp_bench_style_object_loads_sized_to_the_possible_cpus_with_the_programs_named()
    {
        Kernel.RequireBpf();
        using var bpffs = new BpfFsFolder();
        var (code, output, error) = CpumapInProcess.Invoke("load", XdpBench,
            "--max-entries", "cpu_map=possible-cpus", "--max-entries", "cpus_available=possible-cpus", "--max-entries", "rx_cnt=3",
            "--program", "cpumap_l4_hash", "--program", "cpumap_drop", "--set", $"nr_cpus={CpuList.Possible.Count}",
            "--pin", bpffs.Path, "--json");
        Assert.True(code == 0, error);

        using var json = JsonDocument.Parse(output);
        Assert.Equal(["cpumap_l4_hash", "cpumap_drop"], json.RootElement.GetProperty("programs").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        // Read back from the kernel through the pins: the sizes the options gave.
        using (var cpuMap = Bpf.ObjGetMap(Path.Combine(bpffs.Path, "maps", "cpu_map")))
            Assert.Equal((uint)CpuList.Possible.Max() + 1, Bpf.ObjGetInfoByFd(cpuMap).MaxEntries);
        using (var rx = Bpf.ObjGetMap(Path.Combine(bpffs.Path, "maps", "rx_cnt")))
            Assert.Equal(3u, Bpf.ObjGetInfoByFd(rx).MaxEntries);
        using (var drop = Bpf.ObjGetProg(Path.Combine(bpffs.Path, "progs", "cpumap_drop")))
            Assert.Equal(BpfProgType.Xdp, Bpf.ObjGetInfoByFd(drop).Type);
        Assert.False(File.Exists(Path.Combine(bpffs.Path, "progs", "cpumap_pass")));
    }

    [Fact]
    public void A_program_whose_section_does_not_tell_its_type_loads_with_type()
    {
        Kernel.RequireBpf();
        using var bpffs = new BpfFsFolder();
        var (code, _, error) = CpumapInProcess.Invoke("load", Fixtures.PathOf("clang14", "socket_filters"),
            "--type", "hashfilter=socket_filter", "--type", "lb=BPF_PROG_TYPE_SOCKET_FILTER", "--type", "xdp_vlan_pass=xdp:BPF_XDP", "--pin", bpffs.Path);
        Assert.True(code == 0, error);
        foreach (var (name, type) in new[] { ("hashfilter", BpfProgType.SocketFilter), ("lb", BpfProgType.SocketFilter), ("xdp_vlan_pass", BpfProgType.Xdp) })
        {
            using var prog = Bpf.ObjGetProg(Path.Combine(bpffs.Path, "progs", name));
            Assert.Equal(type, Bpf.ObjGetInfoByFd(prog).Type);
        }
    }

    [Fact]
    public void A_map_reused_from_a_pin_is_the_pinned_map()
    {
        Kernel.RequireBpf();
        using var bpffs = new BpfFsFolder();
        Directory.CreateDirectory(bpffs.Path);
        using var pinned = Bpf.MapCreate(BpfMapType.Array, 4, 4, 1);
        Bpf.ObjPin(pinned, Path.Combine(bpffs.Path, "count"));

        var (code, output, error) = CpumapInProcess.Invoke("load", XdpBench, "--max-entries", "cpu_map=2", "--max-entries", "cpus_available=2",
            "--max-entries", "rx_cnt=2", "--reuse", $"cpus_count={Path.Combine(bpffs.Path, "count")}", "--json");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var count = json.RootElement.GetProperty("maps").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "cpus_count");
        Assert.Equal(pinned.Id, count.GetProperty("id").GetUInt32());
        Assert.True(count.GetProperty("reused").GetBoolean());
    }

    [Theory]
    [InlineData("--max-entries", "cpu_map", "--max-entries 'cpu_map' is not MAP=N; write e.g. --max-entries cpu_map=possible-cpus.")]
    [InlineData("--max-entries", "cpu_map=0", "--max-entries 'cpu_map=0': '0' is not a map size: give a number of entries from 1, or possible-cpus.")]
    [InlineData("--max-entries", "cpu_map=-1", "'-1' is not a map size")]
    [InlineData("--max-entries", "cpu_map=4294967296", "'4294967296' is not a map size")]
    [InlineData("--max-entries", "cpumap=2", "xdp_bench_cpumap.o has no map named 'cpumap'; its maps are: ")]
    [InlineData("--program", "cpumap_rr", "xdp_bench_cpumap.o has no entry program named 'cpumap_rr'; its programs are: ")]
    [InlineData("--type", "cpumap_pass", "--type 'cpumap_pass' is not PROGRAM=TYPE[:ATTACH]")]
    [InlineData("--type", "cpumap_pass=sock", "--type 'cpumap_pass=sock': 'sock' is not a program type; use one of: socket_filter, kprobe,")]
    [InlineData("--type", "cpumap_pass=unspec", "'unspec' is not a program type")]
    [InlineData("--type", "cpumap_pass=xdp:cpumap", "--type 'cpumap_pass=xdp:cpumap': 'cpumap' is not an attach type; use one of: ")]
    [InlineData("--type", "nope=xdp", "has no entry program named 'nope'")]
    [InlineData("--reuse", "cpu_map", "--reuse 'cpu_map' is not MAP=PINPATH")]
    [InlineData("--reuse", "cpu_map=/nonexistent/pin", "map 'cpu_map': no map to reuse at '/nonexistent/pin'")]
    [InlineData("--reuse", "nope=/sys/fs/bpf/x", "has no map named 'nope'")]
    public void Bad_values_are_refused_naming_the_option_and_the_fix(string option, string value, string message)
    {
        var (code, output, error) = CpumapInProcess.Invoke("load", XdpBench, option, value);
        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.StartsWith("cpumap load: ", error);
        Assert.Contains(message, error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Without_the_sizes_the_load_names_the_map_and_the_option_that_sizes_it()
    {
        Kernel.RequireBpf();
        var (code, _, error) = CpumapInProcess.Invoke("load", XdpBench);
        Assert.Equal(1, code);
        Assert.Contains("map 'cpu_map': max_entries is 0", error);
        Assert.Contains("cpumap load --max-entries cpu_map=N or cpu_map=possible-cpus", error);
    }

    [Fact]
    public void Inspect_lists_what_must_be_set_before_loading()
    {
        var (code, output, _) = CpumapInProcess.Invoke("inspect", XdpBench, "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var unset = json.RootElement.GetProperty("to_set_before_loading").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(3, unset.Count);
        Assert.All(["cpu_map", "cpus_available", "rx_cnt"], map => Assert.Contains(unset, line => line.StartsWith($"map '{map}': max_entries is 0", StringComparison.Ordinal)));

        var (_, text, _) = CpumapInProcess.Invoke("inspect", Fixtures.PathOf("clang19", "socket_filters"));
        Assert.Contains("to set before loading:", text);
        Assert.Contains("program 'hashfilter': section 'filter' does not tell its type", text);
        var (_, none, _) = CpumapInProcess.Invoke("inspect", Fixtures.PathOf("clang19", "round_robin"));
        Assert.DoesNotContain("to set before loading", none);
    }

    [Fact]
    public void Trace_shows_every_kernel_request_of_the_load_in_order()
    {
        Kernel.RequireBpf();
        // Its own process: the trace is process-wide, and tests running beside this one make requests of their own.
        var (code, output, error) = Shell.Try("dotnet", Path.Combine(AppContext.BaseDirectory, "cpumap.dll"),
            "load", Fixtures.PathOf("clang19", "round_robin"), "--set", "nr_cpus=2", "--trace", "--json");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output); // the trace went to standard error: the JSON is whole
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, line => Assert.StartsWith("trace: bpf(", line));
        var creates = lines.Where(l => l.Contains("BPF_MAP_CREATE", StringComparison.Ordinal)).ToList();
        var loads = lines.Where(l => l.Contains("BPF_PROG_LOAD", StringComparison.Ordinal)).ToList();
        Assert.Equal(json.RootElement.GetProperty("maps").GetArrayLength(), creates.Count);
        Assert.Equal(json.RootElement.GetProperty("programs").GetArrayLength(), loads.Count);
        Assert.True(Array.IndexOf(lines, creates[^1]) < Array.IndexOf(lines, loads[0]), "maps are created before the programs that use them");
        Assert.Contains(lines, l => l.Contains("BPF_MAP_FREEZE", StringComparison.Ordinal)); // .rodata
        foreach (var program in json.RootElement.GetProperty("programs").EnumerateArray())
            Assert.Contains(loads, l => l.Contains($"insn_cnt={program.GetProperty("instructions").GetInt32()} ", StringComparison.Ordinal)
                                        && l.Contains($"prog_name=\"{program.GetProperty("kernel_name").GetString()}\"", StringComparison.Ordinal));
        // The object's BTF is loaded first, and every program refers to it with its func and line info.
        var btf = Assert.Single(lines, l => l.Contains("BPF_BTF_LOAD", StringComparison.Ordinal));
        Assert.True(Array.IndexOf(lines, btf) < Array.IndexOf(lines, loads[0]));
        var btfFd = System.Text.RegularExpressions.Regex.Match(btf, @"\) = (\d+) ").Groups[1].Value;
        Assert.All(loads, l => Assert.Contains($"prog_btf_fd={btfFd} func_info_cnt=", l));
        Assert.All(creates.Concat(loads), l => Assert.Matches(@"\) = \d+  \(\d+\.\d µs\)$", l));
    }
}
