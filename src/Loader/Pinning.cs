using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader;

/// <summary>Pins maps and programs in a folder on a BPF filesystem, and removes those pins.</summary>
internal static class Pinning
{
    public const string MapsFolder = "maps";
    public const string ProgramsFolder = "progs";

    /// <summary>The file name a map or program is pinned under: the BPF filesystem refuses names
    /// with '.' (EPERM), so, as libbpf does, dots become '_' (".rodata" maps pin as "obj_name_rodata").</summary>
    public static string FileName(string name) => name.Replace('.', '_');

    public static string Pin(string objectName, BpfFd fd, string directory, string folder, string name, string? mapName, string? programName)
    {
        var path = Path.Combine(directory, folder, name);
        try
        {
            Directory.CreateDirectory(Path.Combine(directory, folder));
            Bpf.ObjPin(fd, path);
            return path;
        }
        catch (Exception e) when (e is BpfException or IOException or UnauthorizedAccessException)
        {
            throw new BpfLoadException(objectName, mapName, programName,
                $"pinning at '{path}' failed; the folder must not hold a pin of that name already (remove it, or pin in another folder)" +
                (e is BpfException ? "" : $": {e.Message}"), e);
        }
    }

    /// <summary>Removes a pin; returns null so callers can clear the path they kept.</summary>
    public static string? Remove(string? path)
    {
        if (path is not null)
            File.Delete(path);
        return null;
    }

    /// <summary>Removes the maps and progs folders when empty, and <paramref name="directory"/> too when
    /// the load created it (<paramref name="ownsDirectory"/>) and nothing else is in it.</summary>
    public static void RemoveFolders(string directory, bool ownsDirectory)
    {
        string[] folders = ownsDirectory
            ? [Path.Combine(directory, MapsFolder), Path.Combine(directory, ProgramsFolder), directory]
            : [Path.Combine(directory, MapsFolder), Path.Combine(directory, ProgramsFolder)];
        foreach (var folder in folders)
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
                Directory.Delete(folder);
    }
}
