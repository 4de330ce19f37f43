using System.Diagnostics.CodeAnalysis;

namespace CpuMap.Managed.Programs.Remote;

/// <summary>A program in a clang-built BPF object file (<c>clang -O2 -g -target bpf</c>): the file's path and the program's function name.</summary>
public sealed record ObjectProgram
{
    /// <param name="path">The object file.</param>
    /// <param name="name">The program's function name, as in the C source.</param>
    public ObjectProgram(string path, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Path = path;
        Name = name;
    }

    /// <summary>The object file.</summary>
    public string Path { get; }

    /// <summary>The program's function name.</summary>
    public string Name { get; }

    /// <summary>Whether the object file exists, and if not, what to give instead: checked before anything is loaded.</summary>
    public bool FileExists([NotNullWhen(false)] out string? reason)
    {
        reason = File.Exists(Path)
            ? null
            : $"The object file '{Path}' of program '{Name}' does not exist: give the path of a clang-compiled BPF object (.o).";
        return reason is null;
    }

    /// <summary>The path and the name, as <c>PATH:NAME</c>.</summary>
    public override string ToString() => $"{Path}:{Name}";
}
