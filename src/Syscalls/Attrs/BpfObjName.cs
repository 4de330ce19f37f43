using System.Runtime.CompilerServices;
using System.Text;

namespace CpuMap.Managed.Syscalls;

/// <summary>
/// A map or program name as the kernel stores it: <c>char name[BPF_OBJ_NAME_LEN]</c>, at most
/// 15 characters and a NUL, letters, digits, '_' and '.' only (bpf_obj_name_cpy).
/// </summary>
[InlineArray(Length)]
public struct BpfObjName
{
    /// <summary>BPF_OBJ_NAME_LEN.</summary>
    public const int Length = 16;

    private byte _first;

    /// <summary>Encodes <paramref name="name"/>, refusing what the kernel would refuse with EINVAL.</summary>
    public static BpfObjName From(string? name, string paramName)
    {
        var result = default(BpfObjName);
        if (string.IsNullOrEmpty(name))
            return result;
        if (name.Length >= Length)
            throw new ArgumentException(
                $"The BPF object name '{name}' has {name.Length} characters; the kernel keeps at most {Length - 1} " +
                "(BPF_OBJ_NAME_LEN - 1) and answers EINVAL otherwise. Shorten the name.", paramName);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '.'))
                throw new ArgumentException(
                    $"The BPF object name '{name}' has '{c}' at position {i}; the kernel accepts only ASCII letters, " +
                    "digits, '_' and '.' in names and answers EINVAL otherwise. Replace that character.", paramName);
            result[i] = (byte)c;
        }
        return result;
    }

    /// <inheritdoc/>
    public override readonly string ToString()
    {
        ReadOnlySpan<byte> bytes = this;
        var end = bytes.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? bytes : bytes[..end]);
    }
}
