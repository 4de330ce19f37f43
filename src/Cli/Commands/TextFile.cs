namespace CpuMap.Managed.Cli.Commands;

/// <summary>
/// Replaces a file's content atomically, as node_exporter's textfile collector needs: the new content goes into a
/// temporary file in the same directory (same filesystem, and a name the collector skips: it reads only *.prom), which
/// is then renamed over the file. A reader sees the old content or the new, never a part.
/// </summary>
internal static class TextFile
{
    /// <summary>Checks before any work that <paramref name="path"/> can be written there; returns the error, or null.</summary>
    public static string? Check(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            return $"--textfile {path} is a directory: give a file in it, e.g. --textfile {Path.Combine(path, "cpumap.prom")}.";
        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
            return $"--textfile {path}: the directory {directory} does not exist; create it, or give node_exporter's " +
                   "--collector.textfile.directory (e.g. /var/lib/prometheus/node-exporter).";
        return null;
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>, all at once.</summary>
    public static void Replace(string path, string content)
    {
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                using (var writer = new StreamWriter(stream, leaveOpen: true))
                    writer.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);   // rename(2): atomic within a filesystem
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
