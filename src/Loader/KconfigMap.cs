using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using CpuMap.Managed.Elf;
using CpuMap.Managed.Elf.Btf;

namespace CpuMap.Managed.Loader;

/// <summary>
/// The value of the .kconfig map: an object's <c>__kconfig</c> externs laid out and filled in as libbpf does
/// (by alignment, largest first, then by size and name; bool, char, tristate, integer and char-array types;
/// y/n/m, numbers and quoted strings from the kernel's config; a weak extern the kernel lacks is 0).
/// </summary>
internal sealed class KconfigMap
{
    /// <summary>The map's name in the object, as libbpf calls the section.</summary>
    public const string Name = ".kconfig";

    private enum ValueType { Bool, Char, Tristate, Int, CharArray }

    private readonly record struct Field(BpfExtern Extern, ValueType Type, int Size, int Align, bool Signed);

    private KconfigMap(Dictionary<string, int> offsets, byte[] value)
    {
        Offsets = offsets;
        Value = value;
    }

    /// <summary>Each extern's offset in the map value.</summary>
    public IReadOnlyDictionary<string, int> Offsets { get; }

    /// <summary>The map value the programs read; empty when the object has no __kconfig extern.</summary>
    public byte[] Value { get; }

    /// <summary>The layout alone, for the object's BTF (no config is read): each extern's offset and the total size.</summary>
    public static (Dictionary<string, int> Offsets, int Size) Layout(BpfObject bpfObject)
    {
        var offsets = new Dictionary<string, int>(StringComparer.Ordinal);
        var size = 0;
        foreach (var field in Fields(bpfObject))
        {
            size = (size + field.Align - 1) / field.Align * field.Align;
            offsets.Add(field.Extern.Name, size);
            size += field.Size;
        }
        return (offsets, size);
    }

    /// <summary>Lays out and fills in the object's __kconfig externs; the kernel's config is read only for CONFIG_ ones.</summary>
    /// <exception cref="BpfLoadException">An extern of a type libbpf does not support, a strong one the kernel lacks, or a value that does not fit.</exception>
    public static KconfigMap For(BpfObject bpfObject)
    {
        var fields = Fields(bpfObject);
        var (offsets, size) = Layout(bpfObject);
        var value = new byte[size];
        foreach (var field in fields)
        {
            var name = field.Extern.Name;
            var target = value.AsSpan(offsets[name], field.Size);
            string? text;
            if (name.StartsWith("LINUX_", StringComparison.Ordinal))
                text = Linux(bpfObject, field);
            else if (name.StartsWith("CONFIG_", StringComparison.Ordinal))
                text = Config(bpfObject, name).GetValueOrDefault(name);
            else
                throw Error(bpfObject, name, "is neither CONFIG_* nor LINUX_*, the only __kconfig names there are: rename it, or make it const volatile global data");
            if (text is null)
            {
                if (!field.Extern.IsWeak)
                    throw Error(bpfObject, name, $"is not set in the running kernel's configuration ({KernelConfig.Source}); declare it __weak to read 0 when it is not set");
                continue;
            }
            Fill(bpfObject, field, text, target);
        }
        return new KconfigMap(offsets, value);
    }

    private static List<Field> Fields(BpfObject bpfObject)
    {
        var fields = new List<Field>();
        foreach (var extern_ in bpfObject.Externs)
            if (extern_.Kind == BpfExternKind.Kconfig)
                fields.Add(Classify(bpfObject, extern_));
        // libbpf's cmp_externs: alignment descending, then size ascending, then name.
        fields.Sort((a, b) => a.Align != b.Align ? b.Align.CompareTo(a.Align)
            : a.Size != b.Size ? a.Size.CompareTo(b.Size) : string.CompareOrdinal(a.Extern.Name, b.Extern.Name));
        return fields;
    }

    private static Field Classify(BpfObject bpfObject, BpfExtern extern_)
    {
        var btf = bpfObject.Btf!;
        var type = btf.SkipModifiersAndTypedefs(extern_.Type.Type);
        switch (type)
        {
            case { Kind: BtfKind.Int, Size: 1 } when (type.IntEncoding & 4) != 0:
                return new Field(extern_, ValueType.Bool, 1, 1, false);
            case { Kind: BtfKind.Int, Size: 1 } when (type.IntEncoding & 2) != 0 || type.Name == "char":
                return new Field(extern_, ValueType.Char, 1, 1, false);
            case { Kind: BtfKind.Int, Size: 1 or 2 or 4 or 8 }:
                return new Field(extern_, ValueType.Int, (int)type.Size, (int)type.Size, type.IsSigned);
            case { Kind: BtfKind.Enum, Size: 4, Name: "libbpf_tristate" }:
                return new Field(extern_, ValueType.Tristate, 4, 4, false);
            case { Kind: BtfKind.Array } when btf.SkipModifiersAndTypedefs(type.Array.ElementType) is { Kind: BtfKind.Int, Size: 1 } element
                && (element.IntEncoding & 4) == 0 && type.Array.ElementCount > 0:
                return new Field(extern_, ValueType.CharArray, (int)type.Array.ElementCount, 1, false);
        }
        throw Error(bpfObject, extern_.Name,
            $"has type {type?.ToString() ?? "void"}, which a __kconfig extern cannot have: use bool, char, enum libbpf_tristate, " +
            "an integer of 1, 2, 4 or 8 bytes, or a char array, as libbpf allows");
    }

    private static string Linux(BpfObject bpfObject, Field field)
    {
        if (field.Extern.Name != "LINUX_KERNEL_VERSION")
            throw Error(bpfObject, field.Extern.Name, "is not a LINUX_ value this loader provides: only LINUX_KERNEL_VERSION is (libbpf also has LINUX_HAS_BPF_COOKIE and LINUX_HAS_SYSCALL_WRAPPER)");
        if (field.Type != ValueType.Int || field.Size != 4)
            throw Error(bpfObject, field.Extern.Name, "must be a 4-byte integer (unsigned int), as KERNEL_VERSION() makes it");
        try
        {
            return KernelConfig.VersionCode(KernelConfig.Release).ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            throw Error(bpfObject, field.Extern.Name, $"cannot be computed: {e.Message}");
        }
    }

    private static IReadOnlyDictionary<string, string> Config(BpfObject bpfObject, string name)
    {
        try
        {
            return KernelConfig.Options;
        }
        catch (BpfOperationException e)
        {
            throw Error(bpfObject, name, $"needs the kernel's configuration: {e.Message}");
        }
    }

    /// <summary>libbpf's set_kcfg_value_tri, set_kcfg_value_str and set_kcfg_value_num.</summary>
    private static void Fill(BpfObject bpfObject, Field field, string text, Span<byte> target)
    {
        var name = field.Extern.Name;
        if (text is "y" or "n" or "m")
        {
            var letter = text[0];
            switch (field.Type)
            {
                case ValueType.Bool when letter != 'm':
                    target[0] = letter == 'y' ? (byte)1 : (byte)0;
                    return;
                case ValueType.Tristate:
                    BinaryPrimitives.WriteUInt32LittleEndian(target, letter switch { 'y' => 1u, 'm' => 2u, _ => 0u });
                    return;
                case ValueType.Char:
                    target[0] = (byte)letter;
                    return;
            }
            throw Error(bpfObject, name, $"is '{text}' in the kernel's configuration, which a {Describe(field)} cannot hold ('m' needs enum libbpf_tristate or char)");
        }
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            if (field.Type != ValueType.CharArray)
                throw Error(bpfObject, name, $"is the string {text} in the kernel's configuration, which a {Describe(field)} cannot hold: declare it as a char array");
            // As libbpf: at most size - 1 bytes, always NUL-terminated.
            var bytes = Encoding.ASCII.GetBytes(text[1..^1]);
            bytes.AsSpan(0, Math.Min(bytes.Length, target.Length - 1)).CopyTo(target);
            return;
        }
        if (field.Type is ValueType.CharArray or ValueType.Tristate || !TryParseNumber(text, out var number))
            throw Error(bpfObject, name, $"is '{text}' in the kernel's configuration, which a {Describe(field)} cannot hold");
        if (!Fits(field, number))
            throw Error(bpfObject, name, $"is {text} in the kernel's configuration, which does not fit its {Describe(field)}");
        for (var i = 0; i < field.Size; i++)
            target[i] = (byte)(number >> (8 * i));
    }

    private static bool Fits(Field field, ulong number)
    {
        if (field.Type == ValueType.Bool)
            return number <= 1;
        var bits = field.Size * 8;
        if (bits == 64)
            return true;
        // Negative numbers come as their 64-bit two's complement, as strtoull gives them.
        return field.Signed ? (long)number >= -(1L << (bits - 1)) && (long)number < (1L << (bits - 1)) : number < (1UL << bits);
    }

    /// <summary>strtoull with base 0, as libbpf parses: 0x hexadecimal, leading 0 octal, else decimal; a leading '-' negates.</summary>
    private static bool TryParseNumber(string text, out ulong number)
    {
        number = 0;
        var negative = text.StartsWith('-');
        var digits = negative ? text[1..] : text;
        bool parsed;
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            parsed = ulong.TryParse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out number);
        else if (digits.Length > 1 && digits[0] == '0')
        {
            parsed = digits.All(c => c is >= '0' and <= '7');
            foreach (var c in parsed ? digits : "")
            {
                if (number > ulong.MaxValue / 8)
                    return false;
                number = number * 8 + (ulong)(c - '0');
            }
        }
        else
            parsed = ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out number);
        if (negative)
            number = unchecked(0 - number);
        return parsed;
    }

    private static string Describe(Field field) => field.Type switch
    {
        ValueType.Int => $"{field.Size}-byte {(field.Signed ? "signed" : "unsigned")} integer",
        ValueType.CharArray => $"char[{field.Size}]",
        ValueType.Tristate => "enum libbpf_tristate",
        _ => field.Type.ToString().ToLowerInvariant(),
    };

    private static BpfLoadException Error(BpfObject bpfObject, string name, string why) =>
        new(bpfObject.Name, null, null, $"__kconfig extern '{name}' {why}");
}
