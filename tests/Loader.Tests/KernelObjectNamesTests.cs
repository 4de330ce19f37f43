using System.Text.Json;

namespace CpuMap.Managed.Loader.Tests;

public sealed class KernelObjectNamesTests
{
    /// <summary>
    /// The oracle for the tables below: libbpf itself. The same object, copied under file names that
    /// exercise the object-name rules (short, long, several dots), is loaded by `bpftool prog loadall`
    /// (in a private BPF filesystem, pinning its maps) and by our loader; the kernel names of every map
    /// and program must be the ones libbpf chose.
    /// </summary>
    [Theory]
    [InlineData("global_data", "global_data.o")]
    [InlineData("global_data", "g.o")]
    [InlineData("global_data", "a_rather_long_object.o")]
    [InlineData("global_data", "xsk_def_xdp_prog_5.3.o")]
    [InlineData("round_robin", "round_robin.o")]
    [InlineData("round_robin", "rr_redirect.o")]
    public void Kernel_names_are_the_ones_libbpf_gives_the_same_object(string fixture, string fileName)
    {
        Kernel.RequireBpf();
        Kernel.RequireTool("bpftool");
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, fileName);
        File.Copy(Fixtures.PathOf("clang19", fixture), path);
        var (code, shown, error) = Shell.Try("unshare", "-m", "sh", "-c",
            "mount -t bpf bpf /sys/fs/bpf && mkdir /sys/fs/bpf/maps && bpftool prog loadall \"$0\" /sys/fs/bpf/progs pinmaps /sys/fs/bpf/maps >&2 && " +
            "for f in /sys/fs/bpf/maps/* /sys/fs/bpf/progs/*; do bpftool $(case $f in */maps/*) echo map;; *) echo prog;; esac) show pinned \"$f\" --json; echo; done", path);
        Assert.True(code == 0, $"bpftool prog loadall {fileName}: {error}");
        // For a program with BTF, bpftool shows the function's full name from its func_info; the kernel
        // holds its first 15 characters (BPF_OBJ_NAME_LEN 16, with the NUL), which is what we compare.
        var libbpf = shown.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement)
            .Select(o => (o.TryGetProperty("tag", out _), o.GetProperty("name").GetString()!)) // programs have a tag, maps do not
            .Select(x => x.Item1 && x.Item2.Length > 15 ? x.Item2[..15] : x.Item2)
            .Order(StringComparer.Ordinal).ToArray();

        using var collection = BpfObjectSpec.Open(path).Load();
        var ours = collection.Maps.Select(m => m.KernelName).Concat(collection.Programs.Select(p => p.KernelName)).Order(StringComparer.Ordinal).ToArray();

        Assert.True(libbpf.SequenceEqual(ours), $"{fileName}: libbpf named [{string.Join(", ", libbpf)}], we named [{string.Join(", ", ours)}]");
    }

    [Theory]
    [InlineData("round_robin", ".rodata", "round_ro.rodata")]
    [InlineData("rr_redirect", ".rodata", "rr_redir.rodata")]
    [InlineData("rr", ".bss", "rr.bss")]
    [InlineData("global_data", ".data", "global_d.data")]
    [InlineData("global_data", ".data.custom", ".data.custom")]       // a custom section keeps its whole name
    [InlineData("global_data", ".rodata.str1.1", ".rodata.str1.1")]
    [InlineData("object", ".rodata.a_very_long_name", ".rodata.a_very_")]
    public void Global_data_maps_are_named_like_libbpf(string objectName, string section, string expected) =>
        Assert.Equal(expected, KernelObjectNames.GlobalDataMap(objectName, section));

    [Theory]
    [InlineData("xdp_redir_cpu_round_robin", "xdp_redir_cpu_r")]
    [InlineData("cpu_map", "cpu_map")]
    [InlineData("outer.inner", "outer.inner")]
    [InlineData("has-dash:colon", "has_dash_colon")]
    public void Names_are_cut_to_15_characters_and_made_acceptable(string name, string expected) =>
        Assert.Equal(expected, KernelObjectNames.ForKernel(name));

    [Theory]
    [InlineData("round_robin.o", "round_robin")]
    [InlineData("/usr/lib/bpf/xsk_def_xdp_prog_5.3.o", "xsk_def_xdp_prog_5")]
    [InlineData("noext", "noext")]
    public void The_object_name_is_the_file_name_up_to_its_first_dot(string file, string expected) =>
        Assert.Equal(expected, KernelObjectNames.ObjectName(file));

    [Fact]
    public void Bad_inputs_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => KernelObjectNames.ForKernel(null!));
        Assert.Throws<ArgumentException>(() => KernelObjectNames.ObjectName(""));
        Assert.Throws<ArgumentException>(() => KernelObjectNames.GlobalDataMap("x", ""));
    }
}
