namespace CpuMap.Managed.Syscalls;

public static unsafe partial class Bpf
{
    /// <summary>
    /// BPF_MAP_LOOKUP_BATCH: reads up to <c>keys.Length</c> elements after <paramref name="cursor"/>
    /// and returns how many it read; call again until <see cref="MapBatchCursor.Done"/>.
    /// </summary>
    public static int MapLookupBatch<TKey, TValue>(MapFd map, ref MapBatchCursor cursor, Span<TKey> keys, Span<TValue> values)
        where TKey : unmanaged where TValue : unmanaged
    {
        CheckSizes(map, sizeof(TKey), sizeof(TValue), nameof(TKey), nameof(TValue));
        CheckBatchLengths(keys.Length, values.Length);
        if (keys.IsEmpty)
            throw new ArgumentException("keys and values are empty; a batch lookup needs room for at least one element.", nameof(keys));
        if (cursor.Done)
            return 0;
        var outBatch = 0UL;
        fixed (TKey* k = keys)
        fixed (TValue* v = values)
        fixed (ulong* inBatch = &cursor.Token)
        {
            var attr = new MapBatchAttr
            {
                InBatch = cursor.Started ? (ulong)inBatch : 0,
                OutBatch = (ulong)(&outBatch),
                Keys = (ulong)k,
                Values = (ulong)v,
                Count = (uint)keys.Length,
            };
            var errno = Batch(BpfCommand.MapLookupBatch, map, ref attr);
            if (errno == Errno.ENOENT)
                cursor.Done = true;
            else if (errno != 0)
                BpfErrors.Throw(BpfCommand.MapLookupBatch, errno);
            cursor.Token = outBatch;
            cursor.Started = true;
            return (int)attr.Count;
        }
    }

    /// <summary>BPF_MAP_UPDATE_BATCH: writes every pair (keys[i], values[i]) with <paramref name="elemFlags"/>.</summary>
    public static void MapUpdateBatch<TKey, TValue>(MapFd map, ReadOnlySpan<TKey> keys, ReadOnlySpan<TValue> values,
        BpfUpdateFlags elemFlags = BpfUpdateFlags.Any)
        where TKey : unmanaged where TValue : unmanaged
    {
        CheckSizes(map, sizeof(TKey), sizeof(TValue), nameof(TKey), nameof(TValue));
        CheckBatchLengths(keys.Length, values.Length);
        fixed (TKey* k = keys)
        fixed (TValue* v = values)
        {
            var attr = new MapBatchAttr { Keys = (ulong)k, Values = (ulong)v, Count = (uint)keys.Length, ElemFlags = (ulong)elemFlags };
            ThrowOnBatchError(BpfCommand.MapUpdateBatch, Batch(BpfCommand.MapUpdateBatch, map, ref attr), attr.Count, keys.Length);
        }
    }

    /// <summary>BPF_MAP_DELETE_BATCH: deletes every key; throws (ENOENT) at the first key not in the map.</summary>
    public static void MapDeleteBatch<TKey>(MapFd map, ReadOnlySpan<TKey> keys) where TKey : unmanaged
    {
        CheckKeySize(map, sizeof(TKey), nameof(TKey));
        fixed (TKey* k = keys)
        {
            var attr = new MapBatchAttr { Keys = (ulong)k, Count = (uint)keys.Length };
            ThrowOnBatchError(BpfCommand.MapDeleteBatch, Batch(BpfCommand.MapDeleteBatch, map, ref attr), attr.Count, keys.Length);
        }
    }

    private static Errno Batch(BpfCommand command, MapFd map, ref MapBatchAttr attr)
    {
        if (attr.Count == 0)
            return 0; // the kernel answers an empty batch with EINVAL; nothing to do is not an error here
        var added = false;
        try
        {
            attr.MapFd = BpfFd.AddRef(map, ref added, nameof(map));
            return Interop.Bpf(command, ref attr) < 0 ? Errno.Last : 0;
        }
        finally
        {
            if (added)
                map.DangerousRelease();
        }
    }

    private static void ThrowOnBatchError(BpfCommand command, Errno errno, uint done, int requested)
    {
        if (errno != 0)
            BpfErrors.Throw(command, errno, $"{BpfErrors.Hint(command, errno)} The kernel processed {done} of {requested} elements.");
    }

    private static void CheckBatchLengths(int keys, int values)
    {
        if (keys != values)
            throw new ArgumentException(
                $"keys holds {keys} elements but values holds {values}; a batch pairs keys[i] with values[i], so pass spans of equal length.",
                nameof(values));
    }
}
