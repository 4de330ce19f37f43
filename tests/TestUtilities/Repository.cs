namespace CpuMap.Managed.Testing;

/// <summary>The repository the tests were built from: found by walking up from the test binary to the solution file.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = AppContext.BaseDirectory; dir != null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "CpuMap.Managed.sln")))
                return dir;
        throw new InvalidOperationException("CpuMap.Managed.sln not found above " + AppContext.BaseDirectory);
    }
}
