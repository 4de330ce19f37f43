using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Testing;

/// <summary>
/// A fresh folder under /sys/fs/bpf, removed with whatever is pinned in it. Where no BPF filesystem is mounted there,
/// it is mounted the way the loader mounts it (<see cref="BpfFs.EnsureFor"/>: checked and mounted under a lock, so
/// parallel test processes never stack two mounts), because tests make folders there before they pin.
/// </summary>
public sealed class BpfFsFolder : IDisposable
{
    public BpfFsFolder()
    {
        Kernel.RequireBpf();
        Path = System.IO.Path.Combine(BpfFs.DefaultRoot, "cpumap-test-" + Guid.NewGuid().ToString("N")[..12]);
        BpfFs.EnsureFor(Path);
    }

    /// <summary>The folder; not created, so tests can check that pinning creates it.</summary>
    public string Path { get; }

    public void Dispose()
    {
        if (Directory.Exists(Path))
            Directory.Delete(Path, recursive: true);
    }
}
