using CpuMap.Managed.Loader;

namespace CpuMap.Managed.Testing;

/// <summary>The fixtures as the loader's tests take them: opened as specs, and xdp-tools' objects by file name.</summary>
internal static partial class Fixtures
{
    public static BpfObjectSpec Open(string compiler, string name) => WithoutPinsByName(BpfObjectSpec.Open(PathOf(compiler, name)));

    /// <summary>
    /// The spec with LIBBPF_PIN_BY_NAME switched off, so that a test's load leaves nothing on the host's BPF filesystem
    /// (map_features' sized_hash asks for it); the tests of pinning by name switch it on with a private pin root.
    /// </summary>
    public static BpfObjectSpec WithoutPinsByName(BpfObjectSpec spec)
    {
        foreach (var map in spec.Maps)
            map.PinByName = false;
        return spec;
    }

    public static TheoryData<string> XdpToolsObjects()
    {
        var data = new TheoryData<string>();
        if (Directory.Exists(XdpToolsDirectory))
            foreach (var path in Directory.GetFiles(XdpToolsDirectory, "*.o").Order())
                data.Add(Path.GetFileName(path));
        return data;
    }
}
