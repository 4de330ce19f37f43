namespace CpuMap.Managed.Elf.Tests;

/// <summary>The compiled fixtures (tests/fixtures/obj/clangNN/*.o, copied next to the test binary).</summary>
internal static class Fixtures
{
    public static readonly string[] Compilers = ["clang14", "clang19"];

    public static readonly string[] Valid = ["round_robin", "legacy_maps", "global_data", "subprograms", "multi_prog", "map_features", "btf_kinds", "tracing"];

    public static readonly string[] Invalid = ["invalid_static_map", "invalid_btf_map", "invalid_extern"];

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "fixtures");

    public static string PathOf(string compiler, string name) => Path.Combine(Directory, compiler, name + ".o");

    public static BpfObject Load(string compiler, string name) => BpfObject.Load(PathOf(compiler, name));

    public static byte[] Bytes(string compiler, string name) => File.ReadAllBytes(PathOf(compiler, name));

    public static TheoryData<string, string> ValidFixtures() => Cross(Valid);

    public static TheoryData<string, string> InvalidFixtures() => Cross(Invalid);

    public static TheoryData<string> EachCompiler() => new(Compilers);

    /// <summary>The BPF objects Debian's libxdp1 (xdp-tools) installs: other people's clang output.</summary>
    public const string XdpToolsDirectory = "/usr/lib/x86_64-linux-gnu/bpf";

    public static string[] XdpToolsObjects() =>
        System.IO.Directory.Exists(XdpToolsDirectory) ? System.IO.Directory.GetFiles(XdpToolsDirectory, "*.o") : [];

    /// <summary>Every valid object path: our fixtures for both compilers and, where installed, xdp-tools'.</summary>
    public static TheoryData<string> AllValidObjects()
    {
        var data = new TheoryData<string>();
        foreach (var compiler in Compilers)
            foreach (var name in Valid)
                data.Add(PathOf(compiler, name));
        foreach (var path in XdpToolsObjects())
            data.Add(path);
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
