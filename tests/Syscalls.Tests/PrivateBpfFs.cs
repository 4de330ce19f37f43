namespace CpuMap.Managed.Syscalls.Tests;

/// <summary>A private BPF filesystem mounted on a temporary directory for one test, unmounted after.</summary>
internal sealed class PrivateBpfFs : IDisposable
{
    public PrivateBpfFs()
    {
        Path = Directory.CreateTempSubdirectory("cpumap-bpffs-").FullName;
        Shell.Run("mount", "-t", "bpf", "bpf", Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        Shell.Run("umount", Path);
        Directory.Delete(Path);
    }
}
