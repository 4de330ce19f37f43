using System.Text;

namespace CpuMap.Managed.Syscalls;

/// <summary>Turns the kernel-spelled PascalCase member names of this library back into the kernel's UPPER_SNAKE names.</summary>
public static class KernelNames
{
    /// <summary>"MapLookupElem" → "MAP_LOOKUP_ELEM", "CgroupInet4Bind" → "CGROUP_INET4_BIND".</summary>
    public static string ToUpperSnake(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0)
                sb.Append('_');
            sb.Append(char.ToUpperInvariant(c));
        }
        return sb.ToString();
    }
}
