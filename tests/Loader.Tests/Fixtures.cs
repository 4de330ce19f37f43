using CpuMap.Managed.Loader;

namespace CpuMap.Managed.Testing;

/// <summary>The fixtures as the loader's tests take them: opened as specs, and xdp-tools' objects by file name.</summary>
internal static partial class Fixtures
{
    public static BpfObjectSpec Open(string compiler, string name) => BpfObjectSpec.Open(PathOf(compiler, name));

    public static TheoryData<string> XdpToolsObjects()
    {
        var data = new TheoryData<string>();
        if (Directory.Exists(XdpToolsDirectory))
            foreach (var path in Directory.GetFiles(XdpToolsDirectory, "*.o").Order())
                data.Add(Path.GetFileName(path));
        return data;
    }
}
