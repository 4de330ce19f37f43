using System.Text.RegularExpressions;

namespace CpuMap.Managed.Testing;

/// <summary>
/// The fuzz counts for the CI log: `dotnet test` shows no test output, so each campaign writes its
/// line to artifacts/fuzz/ in the repository, and scripts/test prints them (and their sum) at the end.
/// </summary>
public static class FuzzReport
{
    public static string Directory => Path.Combine(Repository.Root, "artifacts", "fuzz");

    /// <summary>Writes <paramref name="line"/> as the report of <paramref name="target"/>, one file per campaign
    /// (campaigns run in parallel processes: no two write one file).</summary>
    public static void Write(string target, string line)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var file = Regex.Replace(target, "[^A-Za-z0-9]+", "-").Trim('-');
        File.WriteAllText(Path.Combine(Directory, file + ".txt"), line + "\n");
    }
}
