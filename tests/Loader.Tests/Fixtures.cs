namespace CpuMap.Managed.Loader.Tests;

/// <summary>The compiled fixtures (tests/fixtures/obj/clangNN/*.o, copied next to the test binary)
/// and the BPF objects Debian's xdp-tools (libxdp1) installs.</summary>
internal static class Fixtures
{
    public static readonly string[] Compilers = ["clang14", "clang19"];

    public static readonly string[] Valid = ["round_robin", "legacy_maps", "global_data", "subprograms", "multi_prog", "map_features", "btf_kinds", "tracing"];

    public static readonly string[] Invalid = ["invalid_static_map", "invalid_btf_map", "invalid_extern"];

    public const string XdpToolsDirectory = "/usr/lib/x86_64-linux-gnu/bpf";

    public static string PathOf(string compiler, string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", compiler, name + ".o");

    public static BpfObjectSpec Open(string compiler, string name) => BpfObjectSpec.Open(PathOf(compiler, name));

    public static TheoryData<string, string> ValidFixtures() => Cross(Valid);

    public static TheoryData<string, string> InvalidFixtures() => Cross(Invalid);

    public static TheoryData<string> EachCompiler() => new(Compilers);

    public static TheoryData<string> XdpToolsObjects()
    {
        var data = new TheoryData<string>();
        if (Directory.Exists(XdpToolsDirectory))
            foreach (var path in Directory.GetFiles(XdpToolsDirectory, "*.o").Order())
                data.Add(Path.GetFileName(path));
        return data;
    }

    private static TheoryData<string, string> Cross(string[] names)
    {
        var data = new TheoryData<string, string>();
        foreach (var compiler in Compilers)
            foreach (var name in names)
                data.Add(compiler, name);
        return data;
    }
}
