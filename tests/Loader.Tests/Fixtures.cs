using CpuMap.Managed.Loader;

namespace CpuMap.Managed.Testing;

/// <summary>The fixtures as the loader's tests take them: opened as specs, and xdp-tools' objects by file name.</summary>
internal static class LoaderFixtures
{
    extension(Fixtures)
    {
        public static BpfObjectSpec Open(string compiler, string name) => Fixtures.WithoutPinsByName(BpfObjectSpec.Open(Fixtures.PathOf(compiler, name)));

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
    }

    /// <summary>xdp-tools' objects by file name (xunit finds member data by reflection, so it is no extension member).</summary>
    public static TheoryData<string> XdpToolsObjects()
    {
        var data = new TheoryData<string>();
        if (Directory.Exists(Fixtures.XdpToolsDirectory))
            foreach (var path in Directory.GetFiles(Fixtures.XdpToolsDirectory, "*.o").Order())
                data.Add(Path.GetFileName(path));
        return data;
    }
}
