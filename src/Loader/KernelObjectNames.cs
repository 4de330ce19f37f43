using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader;

/// <summary>
/// The names the loader gives the kernel for maps and programs, made the way libbpf makes them
/// so that bpftool shows the same names whichever loader was used.
/// </summary>
public static class KernelObjectNames
{
    private const int MaxLength = BpfObjName.Length - 1;

    /// <summary>
    /// libbpf's object name: the file name up to its first '.', so "round_robin.o" is "round_robin".
    /// </summary>
    public static string ObjectName(string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var name = Path.GetFileName(fileName);
        var dot = name.IndexOf('.');
        return dot < 0 ? name : name[..dot];
    }

    /// <summary>A map or program name as BPF_MAP_CREATE and BPF_PROG_LOAD receive it: the first 15
    /// characters, with anything the kernel refuses (it takes letters, digits, '_' and '.') turned into '_'.</summary>
    public static string ForKernel(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Sanitize(name.Length > MaxLength ? name[..MaxLength] : name);
    }

    /// <summary>
    /// libbpf's internal_map_name for a global data map: up to 8 characters of the object name
    /// (fewer for a long section name, none for a custom ".data.x" section), then the section
    /// name: "round_robin" and ".rodata" give "round_ro.rodata".
    /// </summary>
    public static string GlobalDataMap(string objectName, string sectionName)
    {
        ArgumentNullException.ThrowIfNull(objectName);
        ArgumentException.ThrowIfNullOrEmpty(sectionName);
        var suffixLength = Math.Min(Math.Max(7, sectionName.Length), MaxLength);
        var prefixLength = sectionName.IndexOf('.', 1) >= 0 ? 0 : Math.Min(MaxLength - suffixLength, objectName.Length);
        var name = objectName[..prefixLength] + sectionName[..Math.Min(suffixLength, sectionName.Length)];
        return Sanitize(name);
    }

    private static string Sanitize(string name) =>
        string.Create(name.Length, name, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = source[i];
                span[i] = char.IsAsciiLetterOrDigit(c) || c == '_' || c == '.' ? c : '_';
            }
        });
}
