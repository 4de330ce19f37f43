namespace CpuMap.Managed.Publish.Tests;

/// <summary>
/// The NuGet packages scripts/pack makes: the folder CPUMAP_PACKAGES_DIR names (so CI packs once, before the
/// tests), or else a scripts/pack run into artifacts/packages, once for the whole test run.
/// </summary>
internal static class PackedPackages
{
    public const string DirectoryVariable = "CPUMAP_PACKAGES_DIR";

    /// <summary>The packages' version, as Directory.Build.props sets it.</summary>
    public const string Version = "0.1.0";

    private static readonly Lazy<string> Folder = new(Find);

    public static string Directory => Folder.Value;

    /// <summary>The dotnet host running these tests (dotnet test sets DOTNET_HOST_PATH), else the one on PATH.</summary>
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>
    /// Variables for a dotnet or tool process that must use only the package folder: a NuGet cache of its own
    /// (a cache shared between runs would hand back an older build of the same version), no telemetry, and
    /// the runtime the tests run on for the tools' apphosts.
    /// </summary>
    public static Dictionary<string, string> ToolEnvironment(string temp) => new()
    {
        ["NUGET_PACKAGES"] = Path.Combine(temp, "nuget-cache"),
        ["DOTNET_CLI_HOME"] = Path.Combine(temp, "home"),
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        ["DOTNET_ROOT"] = Path.GetDirectoryName(Path.GetFullPath(ResolveOnPath(Dotnet)))!,
    };

    /// <summary>A NuGet.Config whose only source is the package folder: nothing may come from a registry.</summary>
    public static string WriteOfflineConfig(string temp)
    {
        var path = Path.Combine(temp, "NuGet.Config");
        File.WriteAllText(path, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="cpumap-packages" value="{Directory}" />
              </packageSources>
            </configuration>
            """);
        return path;
    }

    private static string Find()
    {
        var given = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrEmpty(given))
        {
            if (!File.Exists(Path.Combine(given, $"CpuMap.Managed.Cli.{Version}.nupkg")))
                throw new InvalidOperationException(
                    $"{DirectoryVariable}={given} has no CpuMap.Managed.Cli.{Version}.nupkg; run scripts/pack and point it at artifacts/packages, or unset it to pack here");
            return given;
        }
        var root = PublishedBinary.RepositoryRoot();
        var (exit, output) = PublishedBinary.Run(Path.Combine(root, "scripts", "pack"), [], TimeSpan.FromMinutes(15));
        if (exit != 0)
            throw new InvalidOperationException($"scripts/pack failed with exit code {exit}:\n{output}");
        return Path.Combine(root, "artifacts", "packages");
    }

    private static string ResolveOnPath(string file)
    {
        if (file.Contains('/'))
            return file;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(dir, file)))
                return new FileInfo(Path.Combine(dir, file)).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.Combine(dir, file);
        throw new InvalidOperationException($"no '{file}' on PATH; the .NET SDK must be installed to run the package tests");
    }
}
