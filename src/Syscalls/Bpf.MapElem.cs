using System.Runtime.CompilerServices;

namespace CpuMap.Managed.Syscalls;

/// <summary>
/// BPF_MAP_LOOKUP_ELEM, BPF_MAP_UPDATE_ELEM, BPF_MAP_DELETE_ELEM and BPF_MAP_GET_NEXT_KEY. The
/// typed overloads pass pointers to the caller's own variables and allocate nothing; the span
/// overloads serve sizes known only at run time (per-CPU values).
/// </summary>
public static unsafe partial class Bpf
{
    /// <summary>BPF_MAP_LOOKUP_ELEM. Returns false when no element has the key.</summary>
    [SkipLocalsInit]
    public static bool MapLookupElem<TKey, TValue>(MapFd map, in TKey key, out TValue value)
        where TKey : unmanaged where TValue : unmanaged
    {
        value = default;
        CheckSizes(map, sizeof(TKey), sizeof(TValue), nameof(TKey), nameof(TValue));
        fixed (TKey* k = &key)
        fixed (TValue* v = &value)
            return Elem(BpfCommand.MapLookupElem, map, k, v, 0) != Errno.ENOENT;
    }

    /// <summary>BPF_MAP_UPDATE_ELEM: creates or replaces the element, as <paramref name="flags"/> allow.</summary>
    [SkipLocalsInit]
    public static void MapUpdateElem<TKey, TValue>(MapFd map, in TKey key, in TValue value, BpfUpdateFlags flags = BpfUpdateFlags.Any)
        where TKey : unmanaged where TValue : unmanaged
    {
        CheckSizes(map, sizeof(TKey), sizeof(TValue), nameof(TKey), nameof(TValue));
        fixed (TKey* k = &key)
        fixed (TValue* v = &value)
            ThrowOnError(BpfCommand.MapUpdateElem, Elem(BpfCommand.MapUpdateElem, map, k, v, (ulong)flags));
    }

    /// <summary>BPF_MAP_DELETE_ELEM. Returns false when no element had the key.</summary>
    [SkipLocalsInit]
    public static bool MapDeleteElem<TKey>(MapFd map, in TKey key) where TKey : unmanaged
    {
        CheckKeySize(map, sizeof(TKey), nameof(TKey));
        fixed (TKey* k = &key)
            return Elem(BpfCommand.MapDeleteElem, map, k, null, 0) != Errno.ENOENT;
    }

    /// <summary>BPF_MAP_GET_NEXT_KEY from the start: the first key. Returns false for an empty map.</summary>
    [SkipLocalsInit]
    public static bool MapGetNextKey<TKey>(MapFd map, out TKey nextKey) where TKey : unmanaged
    {
        nextKey = default;
        CheckKeySize(map, sizeof(TKey), nameof(TKey));
        fixed (TKey* next = &nextKey)
            return Elem(BpfCommand.MapGetNextKey, map, null, next, 0) != Errno.ENOENT;
    }

    /// <summary>BPF_MAP_GET_NEXT_KEY: the key after <paramref name="key"/>. Returns false after the last key.</summary>
    /// <remarks><paramref name="key"/> and <paramref name="nextKey"/> may be the same variable: the kernel reads the key before it writes the next.</remarks>
    [SkipLocalsInit]
    public static bool MapGetNextKey<TKey>(MapFd map, in TKey key, out TKey nextKey) where TKey : unmanaged
    {
        // Not cleared before the call: the caller may walk with one variable as key and next key.
        Unsafe.SkipInit(out nextKey);
        CheckKeySize(map, sizeof(TKey), nameof(TKey));
        fixed (TKey* k = &key)
        fixed (TKey* next = &nextKey)
        {
            if (Elem(BpfCommand.MapGetNextKey, map, k, next, 0) == 0)
                return true;
            nextKey = default;
            return false;
        }
    }

    /// <summary>BPF_MAP_LOOKUP_ELEM on byte buffers: <paramref name="value"/> must be <see cref="MapFd.ValueBufferSize"/> long.</summary>
    public static bool MapLookupElem(MapFd map, ReadOnlySpan<byte> key, Span<byte> value)
    {
        CheckSizes(map, key.Length, value.Length, nameof(key), nameof(value));
        fixed (byte* k = key)
        fixed (byte* v = value)
            return Elem(BpfCommand.MapLookupElem, map, k, v, 0) != Errno.ENOENT;
    }

    /// <summary>BPF_MAP_UPDATE_ELEM on byte buffers: <paramref name="value"/> must be <see cref="MapFd.ValueBufferSize"/> long.</summary>
    public static void MapUpdateElem(MapFd map, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, BpfUpdateFlags flags = BpfUpdateFlags.Any)
    {
        CheckSizes(map, key.Length, value.Length, nameof(key), nameof(value));
        fixed (byte* k = key)
        fixed (byte* v = value)
            ThrowOnError(BpfCommand.MapUpdateElem, Elem(BpfCommand.MapUpdateElem, map, k, v, (ulong)flags));
    }

    /// <summary>BPF_MAP_DELETE_ELEM on a byte key. Returns false when no element had the key.</summary>
    public static bool MapDeleteElem(MapFd map, ReadOnlySpan<byte> key)
    {
        CheckKeySize(map, key.Length, nameof(key));
        fixed (byte* k = key)
            return Elem(BpfCommand.MapDeleteElem, map, k, null, 0) != Errno.ENOENT;
    }

    /// <summary>BPF_MAP_GET_NEXT_KEY on byte keys; an empty <paramref name="key"/> asks for the first key.</summary>
    public static bool MapGetNextKey(MapFd map, ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        if (!key.IsEmpty)
            CheckKeySize(map, key.Length, nameof(key));
        CheckKeySize(map, nextKey.Length, nameof(nextKey));
        fixed (byte* k = key)
        fixed (byte* next = nextKey)
            return Elem(BpfCommand.MapGetNextKey, map, key.IsEmpty ? null : k, next, 0) != Errno.ENOENT;
    }

    /// <summary>
    /// The one bpf(2) call behind every element command. Returns 0, or ENOENT (which lookups,
    /// deletes and walks turn into false); any other errno throws.
    /// </summary>
    [SkipLocalsInit]
    private static Errno Elem(BpfCommand command, MapFd map, void* key, void* value, ulong flags)
    {
        var added = false;
        try
        {
            var attr = new MapElemAttr
            {
                MapFd = BpfFd.AddRef(map, ref added, nameof(map)),
                Key = (ulong)key,
                Value = (ulong)value,
                Flags = flags,
            };
            if (Interop.Bpf(command, &attr, (uint)sizeof(MapElemAttr)) == 0)
                return 0;
            var errno = Errno.Last;
            if (errno != Errno.ENOENT || command == BpfCommand.MapUpdateElem)
                BpfErrors.Throw(command, errno);
            return errno;
        }
        finally
        {
            if (added)
                map.DangerousRelease();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ThrowOnError(BpfCommand command, Errno errno)
    {
        if (errno != 0)
            BpfErrors.Throw(command, errno);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckSizes(MapFd map, int keySize, int valueSize, string keyName, string valueName)
    {
        CheckKeySize(map, keySize, keyName);
        if ((uint)valueSize != map.ValueBufferSize)
            ThrowSizeMismatch(map, valueName, valueSize, map.ValueBufferSize, "value");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckKeySize(MapFd map, int keySize, string keyName)
    {
        BpfFd.ThrowIfClosed(map, nameof(map));
        if ((uint)keySize != map.KeySize)
            ThrowSizeMismatch(map, keyName, keySize, map.KeySize, "key");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowSizeMismatch(MapFd map, string name, int actual, uint expected, string what)
    {
        var perCpu = what == "value" && MapFd.IsPerCpu(map.Type)
            ? $" (value_size {map.ValueSize} rounded up to 8, times {CpuList.Possible.Count} possible CPUs)"
            : "";
        throw new ArgumentException(
            $"'{name}' is {actual} bytes but the {map} has a {what} of {expected} bytes{perCpu}; the kernel would read or " +
            $"write exactly {expected} bytes there. Use a {what} type or buffer of {expected} bytes.", name);
    }
}
