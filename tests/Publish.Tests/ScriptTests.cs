namespace CpuMap.Managed.Publish.Tests;

/// <summary>
/// The publish, image and timing scripts refuse what they cannot do before doing anything: a bad argument gets the
/// usage line and exit code 2, not a half-made publish folder or a timing run of the wrong thing.
/// </summary>
public sealed class ScriptTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    private static string Script(string name) => Path.Combine(PublishedBinary.RepositoryRoot(), "scripts", name);

    [Theory]
    [InlineData("linux-riscv64")]
    [InlineData("win-x64")]
    [InlineData("--help-me")]
    public void Publish_refuses_an_unknown_runtime_with_its_usage(string argument)
    {
        var (exit, output) = PublishedBinary.Run(Script("publish"), [argument], Timeout);
        Assert.True(exit == 2, $"scripts/publish {argument} exited with {exit}:\n{output}");
        Assert.Contains("usage: scripts/publish [linux-x64|linux-arm64]", output);
    }

    [Theory]
    [InlineData("--bogus", "unknown argument '--bogus'")]
    [InlineData("latest", "unknown argument 'latest'")]
    [InlineData("--tag", "--tag needs an image name")]
    [InlineData("--tag=", "--tag= needs an image name")]
    public void Image_refuses_a_bad_argument_with_its_usage_before_building(string argument, string error)
    {
        var (exit, output) = PublishedBinary.Run(Script("image"), [argument], Timeout);
        Assert.True(exit == 2, $"scripts/image {argument} exited with {exit}:\n{output}");
        Assert.Contains($"image: {error}", output);
        Assert.Contains("usage: scripts/image [--tag IMAGE]", output);
        Assert.DoesNotContain("building", output);
    }

    [Fact]
    public void Image_help_prints_the_usage_and_exits_0()
    {
        var (exit, output) = PublishedBinary.Run(Script("image"), ["--help"], Timeout);
        Assert.True(exit == 0, $"scripts/image --help exited with {exit}:\n{output}");
        Assert.StartsWith("usage: scripts/image [--tag IMAGE]", output);
    }

    [Theory]
    [InlineData("many")]
    [InlineData("-5")]
    [InlineData("0")]
    public void Time_load_refuses_a_run_count_that_is_not_a_number(string argument)
    {
        var (exit, output) = PublishedBinary.Run(Script("time-load"), [argument], Timeout);
        Assert.True(exit == 2, $"scripts/time-load '{argument}' exited with {exit}:\n{output}");
        Assert.Contains("usage: scripts/time-load [RUNS]", output);
    }

    [Theory]
    [InlineData("ARM64_VM_FRAMES", "lots", "ARM64_VM_FRAMES='lots' is not a number of frames")]
    [InlineData("ARM64_VM_TIMEOUT", "5m", "ARM64_VM_TIMEOUT='5m' is not a number of seconds")]
    [InlineData("ARM64_VM_TIMEOUT", "0", "ARM64_VM_TIMEOUT=0: the boot needs at least a second")]
    public void Arm64_vm_refuses_a_bad_setting_before_booting(string variable, string value, string error)
    {
        var (exit, output) = PublishedBinary.Run(Script("arm64-vm"), [], Timeout, new Dictionary<string, string> { [variable] = value });
        Assert.True(exit == 2, $"scripts/arm64-vm with {variable}={value} exited with {exit}:\n{output}");
        Assert.Contains(error, output);
        Assert.DoesNotContain("booting", output);
    }

    [Theory]
    [InlineData("--bogus", "unknown option '--bogus'")]
    [InlineData("two folders", "one folder at most, got 2")]
    public void Pack_refuses_a_bad_argument_with_its_usage_before_building(string arguments, string error)
    {
        var (exit, output) = PublishedBinary.Run(Script("pack"), arguments.Split(' '), Timeout);
        Assert.True(exit == 2, $"scripts/pack {arguments} exited with {exit}:\n{output}");
        Assert.Contains($"pack: {error}", output);
        Assert.Contains("usage: scripts/pack [DIR]", output);
    }

    [Fact]
    public void Pack_never_empties_a_folder_that_holds_other_things_than_packages()
    {
        using var temp = new TempDir();
        var kept = Path.Combine(temp.Path, "notes.txt");
        File.WriteAllText(kept, "mine");
        var (exit, output) = PublishedBinary.Run(Script("pack"), [temp.Path], Timeout);
        Assert.True(exit == 2, $"scripts/pack {temp.Path} exited with {exit}:\n{output}");
        Assert.Contains("holds other things than packages", output);
        Assert.Equal("mine", File.ReadAllText(kept));

        var (fileExit, fileOutput) = PublishedBinary.Run(Script("pack"), [kept], Timeout);
        Assert.True(fileExit == 2, $"scripts/pack {kept} exited with {fileExit}:\n{fileOutput}");
        Assert.Contains("is a file, not a folder", fileOutput);
    }
}
