using CpuMap.Managed.Elf;

namespace CpuMap.Managed.Testing;

/// <summary>The fixtures as the ELF reader's tests take them: parsed, as bytes, or as paths.</summary>
internal static class ElfFixtures
{
    extension(Fixtures)
    {
        public static string Directory => Path.Combine(AppContext.BaseDirectory, "fixtures");

        public static BpfObject Load(string compiler, string name) => BpfObject.Load(Fixtures.PathOf(compiler, name));

        public static byte[] Bytes(string compiler, string name) => File.ReadAllBytes(Fixtures.PathOf(compiler, name));

        public static string[] XdpToolsObjects() =>
            System.IO.Directory.Exists(Fixtures.XdpToolsDirectory) ? System.IO.Directory.GetFiles(Fixtures.XdpToolsDirectory, "*.o") : [];
    }

    /// <summary>Every valid object path: our fixtures for both compilers and, where installed, xdp-tools'.</summary>
    public static TheoryData<string> AllValidObjects()
    {
        var data = new TheoryData<string>();
        foreach (var compiler in Fixtures.Compilers)
            foreach (var name in Fixtures.Valid)
                data.Add(Fixtures.PathOf(compiler, name));
        foreach (var path in Fixtures.XdpToolsObjects())
            data.Add(path);
        return data;
    }
}
