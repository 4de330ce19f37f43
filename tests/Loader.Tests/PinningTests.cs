using System.Text.Json;

namespace CpuMap.Managed.Loader.Tests;

/// <summary>`cpumap load --pin` keeps the objects in the kernel after the command returns, and
/// Debian's bpftool lists them under the object's own names.</summary>
public sealed class PinningTests
{
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
    public void Unpin_removes_the_pins_and_the_folders()
    {
        using var bpffs = new BpfFsFolder();
        using var collection = Fixtures.Open("clang19", "subprograms").Load(new BpfLoadOptions { PinDirectory = bpffs.Path });

        Assert.Equal(Path.Combine(bpffs.Path, "maps", "subprog_hits"), collection.GetMap("subprog_hits").PinPath);
        Assert.True(File.Exists(Path.Combine(bpffs.Path, "progs", "xdp_with_calls")));

        collection.Unpin();

        Assert.False(Directory.Exists(bpffs.Path));
        Assert.Null(collection.GetProgram("xdp_with_calls").PinPath);
        Assert.Null(collection.PinDirectory);
    }

    [Fact]
    public void Unpin_keeps_a_folder_the_caller_made()
    {
        using var bpffs = new BpfFsFolder();
        Directory.CreateDirectory(bpffs.Path);
        using var collection = Fixtures.Open("clang19", "round_robin").Load(new BpfLoadOptions { PinDirectory = bpffs.Path });

        collection.Unpin();

        Assert.True(Directory.Exists(bpffs.Path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(bpffs.Path));
    }
}
