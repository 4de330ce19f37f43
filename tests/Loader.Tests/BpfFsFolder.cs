namespace CpuMap.Managed.Loader.Tests;

/// <summary>
/// A fresh folder under /sys/fs/bpf (mounting the BPF filesystem there first if nothing is
/// mounted), removed with whatever is pinned in it.
/// </summary>
internal sealed class BpfFsFolder : IDisposable
{
    private const string Root = "/sys/fs/bpf";

    public BpfFsFolder()
    {
        Testing.Kernel.RequireBpf();
        if (!File.ReadAllText("/proc/self/mounts").Split('\n').Any(line => line.Split(' ') is [_, Root, "bpf", ..]))
            Shell.Run("mount", "-t", "bpf", "bpf", Root);
        Path = System.IO.Path.Combine(Root, "cpumap-test-" + Guid.NewGuid().ToString("N")[..12]);
    }

    /// <summary>The folder; not created, so tests can check that pinning creates it.</summary>
    public string Path { get; }

    public void Dispose()
    {
        if (Directory.Exists(Path))
            Directory.Delete(Path, recursive: true);
    }
}
