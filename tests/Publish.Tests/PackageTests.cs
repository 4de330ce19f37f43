namespace CpuMap.Managed.Publish.Tests;

/// <summary>
/// The NuGet packages, used the way their users would: the `cpumap` and `bpfasm` .NET tools installed with
/// `dotnet tool install` into a temporary tool path, and a library package referenced by a new project, all
/// from the package folder alone (a NuGet.Config with that one source and an empty cache of its own: nothing
/// comes from a registry or an earlier run).
/// </summary>
public sealed class PackageTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [Fact]
    public void Cpumap_tool_installs_from_the_packages_and_runs_help_and_inspect()
    {
        using var temp = new TempDir();
        var cpumap = InstallTool(temp.Path, "CpuMap.Managed.Cli", "cpumap");

        var help = Run(temp.Path, cpumap, ["--help"]);
        Assert.Contains("cpumap: XDP CPU redirect", help);
        foreach (var command in new[] { "demo", "attach", "detach", "status", "stats", "probe", "inspect <FILE.o>", "load <FILE.o>" })
            Assert.Contains(command, help);

        var inspect = Run(temp.Path, cpumap, ["inspect", Fixtures.PathOf("clang19", "round_robin")]);
        Assert.Contains("license GPL, 4 maps, 2 programs", inspect);
        Assert.Contains("BPF_MAP_TYPE_CPUMAP", inspect);
        Assert.Contains("xdp_redir_cpu_round_robin", inspect);
        Assert.Contains("xdp_cpumap_count", inspect);
        Assert.Contains("nr_cpus", inspect);

        // A bad input through the installed tool is the tool's own error, not a crash of the packaging.
        var missing = Path.Combine(temp.Path, "missing.o");
        var (exit, output) = PublishedBinary.Run(cpumap, ["inspect", missing], Timeout, PackedPackages.ToolEnvironment(temp.Path));
        Assert.NotEqual(0, exit);
        Assert.Contains(missing, output);
        Assert.DoesNotContain("Unhandled exception", output);
    }

    [Fact]
    public void Bpfasm_tool_installs_from_the_packages_and_disassembles_the_object()
    {
        using var temp = new TempDir();
        var bpfasm = InstallTool(temp.Path, "CpuMap.Managed.BpfAsm.Cli", "bpfasm");

        var listing = Run(temp.Path, bpfasm, ["dis", Fixtures.PathOf("clang19", "round_robin")]);
        Assert.Contains("<xdp_redir_cpu_round_robin>:", listing);
        Assert.Contains("<xdp_cpumap_count>:", listing);
    }

    [Fact]
    public void A_project_referencing_the_loader_package_loads_an_object_into_the_kernel()
    {
        Kernel.RequireBpf();
        using var temp = new TempDir();
        var config = PackedPackages.WriteOfflineConfig(temp.Path);
        var project = Path.Combine(temp.Path, "consumer");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="CpuMap.Managed.Loader" Version="{PackedPackages.Version}" />
              </ItemGroup>
            </Project>
            """);
        // Each program's kernel id, and the name the kernel gives it back for that id: loaded, not only parsed.
        File.WriteAllText(Path.Combine(project, "Program.cs"), """
            using CpuMap.Managed.Loader;
            using CpuMap.Managed.Syscalls;

            using var collection = BpfObjectSpec.Open(args[0]).Set<uint>("nr_cpus", 1).Load();
            foreach (var program in collection.Programs)
            {
                using var byId = Bpf.ProgGetFdById(program.Id);
                Console.WriteLine($"{program.Name} {program.Id} {Bpf.ObjGetInfoByFd(byId).Name}");
            }
            """);

        Run(temp.Path, PackedPackages.Dotnet, ["restore", project, "--configfile", config]);
        var output = Run(temp.Path, PackedPackages.Dotnet,
            ["run", "--project", project, "--no-restore", "--", Fixtures.PathOf("clang19", "round_robin")]);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ')).Where(words => words.Length == 3).ToDictionary(words => words[0]);
        foreach (var name in new[] { "xdp_redir_cpu_round_robin", "xdp_cpumap_count" })
        {
            Assert.True(lines.TryGetValue(name, out var words), $"no line for {name} in:\n{output}");
            Assert.True(uint.Parse(words[1]) > 0, $"{name} has no kernel id:\n{output}");
            // The kernel keeps the first 15 bytes of a program's name.
            Assert.Equal(name[..Math.Min(name.Length, 15)], words[2]);
        }
    }

    /// <summary>dotnet tool install of <paramref name="packageId"/> into a tool path under <paramref name="temp"/>; the command's path.</summary>
    private static string InstallTool(string temp, string packageId, string command)
    {
        var toolPath = Path.Combine(temp, "tools");
        var config = PackedPackages.WriteOfflineConfig(temp);
        Run(temp, PackedPackages.Dotnet, ["tool", "install", "--tool-path", toolPath, "--configfile", config,
            "--add-source", PackedPackages.Directory, "--version", PackedPackages.Version, packageId]);
        var path = Path.Combine(toolPath, command);
        Assert.True(File.Exists(path), $"dotnet tool install {packageId} left no '{command}' in {toolPath}");
        return path;
    }

    private static string Run(string temp, string file, string[] arguments)
    {
        var (exit, output) = PublishedBinary.Run(file, arguments, Timeout, PackedPackages.ToolEnvironment(temp));
        Assert.True(exit == 0, $"{file} {string.Join(' ', arguments)} exited {exit}:\n{output}");
        return output;
    }
}
