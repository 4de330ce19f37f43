using System.Globalization;
using System.Runtime.InteropServices;
using CpuMap.Managed.Elf;
using CpuMap.Managed.Elf.Btf;

namespace CpuMap.Managed.Loader;

/// <summary>
/// The values the global data maps will start with: a private copy of each .rodata*, .data* and
/// .bss* section, in which variables are set by name before loading.
/// </summary>
public sealed class GlobalVariables
{
    private readonly BpfObject _object;
    private readonly Dictionary<string, byte[]> _values = new(StringComparer.Ordinal);

    internal GlobalVariables(BpfObject bpfObject) => _object = bpfObject;

    /// <summary>Every variable with the section it is in.</summary>
    public IEnumerable<(GlobalDataSection Section, GlobalVariable Variable)> All =>
        _object.GlobalData.SelectMany(section => section.Variables.Select(variable => (section, variable)));

    /// <summary>The bytes the map of <paramref name="section"/> starts with: the section's own, or a
    /// copy with the variables set so far.</summary>
    public ReadOnlySpan<byte> ValueOf(GlobalDataSection section) =>
        _values.TryGetValue(section.Name, out var value) ? value : section.InitialValue.Span;

    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/>; <typeparamref name="T"/> must be as large as the variable.</summary>
    public void Set<T>(string name, T value) where T : unmanaged =>
        SetBytes(name, MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)));

    /// <summary>The current value of <paramref name="name"/>; <typeparamref name="T"/> must be as large as the variable.</summary>
    public T Get<T>(string name) where T : unmanaged
    {
        var (section, variable) = Find(name);
        CheckSize(variable, System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), typeof(T).Name);
        return MemoryMarshal.Read<T>(ValueOf(section).Slice(variable.Offset, variable.Size));
    }

    /// <summary>Sets <paramref name="name"/> to raw bytes, exactly as many as the variable has.</summary>
    public void SetBytes(string name, ReadOnlySpan<byte> value)
    {
        var (section, variable) = Find(name);
        CheckSize(variable, value.Length, $"a {value.Length}-byte value");
        value.CopyTo(Writable(section).AsSpan(variable.Offset, variable.Size));
    }

    /// <summary>
    /// Sets an integer, bool or enum variable from text, as a command line gives it: decimal,
    /// 0x hex, a leading '-' for signed types, true/false for bool. The variable's BTF type
    /// decides the size, the sign and so the range; without BTF it is taken as unsigned.
    /// </summary>
    public void SetFromString(string name, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (_, variable) = Find(name);
        var (numeric, signed, isBool, typeName) = Describe(variable);
        var size = variable.Size;
        if (!numeric || size is not (1 or 2 or 4 or 8))
            throw new ArgumentException($"{_object.Name}: variable '{name}' is a {size}-byte {typeName}; values from text set only 1, 2, 4 or 8-byte integers, bools and enums: set it from code with Set<T> or SetBytes.", nameof(name));

        Int128 number;
        var trimmed = text.Trim();
        if (isBool && bool.TryParse(trimmed, out var flag))
            number = flag ? 1 : 0;
        else if (!TryParseInteger(trimmed, out number))
            throw new FormatException($"{_object.Name}: '{text}' is not a number for variable '{name}' ({typeName}); write it in decimal or as 0x hex{(isBool ? ", or true/false" : "")}.");

        var bits = size * 8;
        var min = signed ? -(Int128.One << (bits - 1)) : Int128.Zero;
        var max = signed ? (Int128.One << (bits - 1)) - 1 : (Int128.One << bits) - 1;
        if (isBool)
            (min, max) = (0, 1);
        if (number < min || number > max)
            throw new ArgumentOutOfRangeException(nameof(text), text, $"{_object.Name}: {text} is out of range for variable '{name}' ({typeName}, {size} bytes): it takes {min} to {max}.");

        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128LittleEndian(bytes, (UInt128)number);
        SetBytes(name, bytes[..size]);
    }

    /// <summary>The variable's type as its BTF names it, e.g. "unsigned int" or "enum mode".</summary>
    public string TypeNameOf(GlobalVariable variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        return Describe(variable).TypeName;
    }

    /// <summary>The current value of <paramref name="name"/> as text: a number for 1, 2, 4 and
    /// 8-byte integers and enums (signed as the BTF type says), else its bytes in hex.</summary>
    public string Format(string name)
    {
        var (section, variable) = Find(name);
        return Format(section, variable);
    }

    /// <summary>
    /// The current value of <paramref name="variable"/> of <paramref name="section"/> as text, as
    /// <see cref="Format(string)"/> gives it. For listing every variable of <see cref="All"/>: a name
    /// need not find it, as a stripped or hand-made object may leave it empty or use it twice.
    /// </summary>
    public string Format(GlobalDataSection section, GlobalVariable variable)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(variable);
        var bytes = ValueOf(section).Slice(variable.Offset, variable.Size);
        var (numeric, signed, isBool, _) = Describe(variable);
        if (!numeric || variable.Size is not (1 or 2 or 4 or 8))
            return Convert.ToHexString(bytes).ToLowerInvariant();
        Span<byte> wide = stackalloc byte[8];
        wide.Clear();
        bytes.CopyTo(wide);
        var unsigned = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(wide);
        if (isBool)
            return unsigned == 0 ? "false" : "true";
        if (!signed)
            return unsigned.ToString(CultureInfo.InvariantCulture);
        var shift = 64 - variable.Size * 8;
        return (((long)unsigned << shift) >> shift).ToString(CultureInfo.InvariantCulture);
    }

    private (GlobalDataSection Section, GlobalVariable Variable) Find(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (var (section, variable) in All)
            if (variable.Name == name)
                return (section, variable);
        var names = string.Join(", ", All.Select(v => v.Variable.Name));
        throw new ArgumentException(
            $"{_object.Name} has no global variable '{name}'; " +
            (names.Length == 0 ? "it has no global variables at all." : $"its variables are: {names}."), nameof(name));
    }

    private void CheckSize(GlobalVariable variable, int size, string what)
    {
        if (size != variable.Size)
            throw new ArgumentException(
                $"{_object.Name}: variable '{variable.Name}' is {variable.Size} bytes ({Describe(variable).TypeName}) but {what} is {size} bytes; " +
                $"use a type of exactly {variable.Size} bytes.", "value");
    }

    private byte[] Writable(GlobalDataSection section)
    {
        if (!_values.TryGetValue(section.Name, out var value))
            _values.Add(section.Name, value = section.InitialValue.ToArray());
        return value;
    }

    /// <summary>Whether the variable is a number (an integer or enum; without BTF, taken as an
    /// unsigned integer), its sign, whether it is a bool, and its type name.</summary>
    private (bool Numeric, bool Signed, bool IsBool, string TypeName) Describe(GlobalVariable variable)
    {
        var type = variable.BtfTypeId == 0 ? null : _object.Btf?.SkipModifiersAndTypedefs(variable.BtfTypeId);
        return type switch
        {
            { Kind: BtfKind.Int } => (true, type.IsSigned, (type.IntEncoding & 4) != 0, type.Name),
            { Kind: BtfKind.Enum or BtfKind.Enum64 } => (true, type.IsSigned, false, $"enum {type.Name}".TrimEnd()),
            null => (true, false, false, $"{variable.Size}-byte value without BTF type"),
            _ => (false, false, false, $"{type.Kind.ToString().ToLowerInvariant()} {type.Name}".TrimEnd()),
        };
    }

    private static bool TryParseInteger(string text, out Int128 value)
    {
        var negative = text.StartsWith('-');
        var digits = negative ? text[1..] : text;
        value = 0;
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (!UInt128.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) || hex > (UInt128)Int128.MaxValue)
                return false;
            value = (Int128)hex;
        }
        else if (digits.Length == 0 || !char.IsAsciiDigit(digits[0]) || !Int128.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }
        if (negative)
            value = -value;
        return true;
    }
}
