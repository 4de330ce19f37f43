namespace CpuMap.Managed.Testing;

/// <summary>A temporary directory deleted with everything in it.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("cpumap-test-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
