using CpuMap.Managed.Elf;

namespace CpuMap.Managed.Testing;

/// <summary>The fixtures as the ELF reader's tests take them: parsed, as bytes, or as paths.</summary>
internal static partial class Fixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "fixtures");

    public static BpfObject Load(string compiler, string name) => BpfObject.Load(PathOf(compiler, name));

    public static byte[] Bytes(string compiler, string name) => File.ReadAllBytes(PathOf(compiler, name));

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
}
