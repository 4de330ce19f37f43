using System.Runtime.InteropServices;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Syscalls.Tests;

public class PerCpuArrayTests
{
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct TwoCounters(ulong Packets, ulong Bytes);

    [Fact]
    public void Each_possible_cpus_slot_is_read_at_its_cpu_number()
    {
        Kernel.RequireBpf();
        using var map = Bpf.MapCreate(BpfMapType.PercpuArray, 4, 4, 2);
        var possible = CpuList.Possible;
        // The kernel's layout: one 8-byte slot per possible CPU, in the possible list's order, whatever the value size.
        var slots = new byte[8 * possible.Count];
        for (var i = 0; i < possible.Count; i++)
            MemoryMarshal.Write(slots.AsSpan(8 * i), (uint)(100 + possible[i]));
        Bpf.MapUpdateElem(map, MemoryMarshal.AsBytes([1u]), slots);

        var values = PerCpuArray<uint>.Open(map).Get(1);

        Assert.Equal(CpuList.NrCpuIds, values.Count);
        foreach (var cpu in possible)
            Assert.Equal((uint)(100 + cpu), values[cpu]);
        Assert.Equal((uint)possible.Sum(cpu => 100 + cpu), values.Sum());
        Assert.All(PerCpuArray<uint>.Open(map).Get(0), value => Assert.Equal(0u, value));
    }

    [Fact]
    public void A_struct_value_is_read_by_field_and_summed_by_selector_then_cleared()
    {
        Kernel.RequireBpf();
        using var map = Bpf.MapCreate(BpfMapType.PercpuArray, 4, 16, 1);
        var possible = CpuList.Possible;
        var slots = new byte[16 * possible.Count];
        for (var i = 0; i < possible.Count; i++)
            MemoryMarshal.Write(slots.AsSpan(16 * i), new TwoCounters((ulong)i + 1, 1000));
        Bpf.MapUpdateElem(map, MemoryMarshal.AsBytes([0u]), slots);
        var array = PerCpuArray<TwoCounters>.Open(map);

        var values = array.Get(0);

        Assert.Equal(new TwoCounters(1, 1000), values[possible[0]]);
        Assert.Equal((ulong)(possible.Count * (possible.Count + 1) / 2), values.Sum(v => v.Packets));
        Assert.Equal(1000ul * (ulong)possible.Count, values.Sum(v => v.Bytes));
        array.Clear(0);
        Assert.Equal(0ul, array.Get(0).Sum(v => v.Packets + v.Bytes));
    }

    [Fact]
    public void Wrong_maps_indexes_and_cpus_are_refused_naming_the_cause()
    {
        Kernel.RequireBpf();
        using var hash = Bpf.MapCreate(BpfMapType.PercpuHash, 4, 8, 1, name: "pcpu_hash");
        Assert.Contains("is not a per-CPU array (BPF_MAP_TYPE_PERCPU_ARRAY",
            Assert.Throws<ArgumentException>(() => PerCpuArray<ulong>.Open(hash)).Message);
        using var plain = Bpf.MapCreate(BpfMapType.Array, 4, 8, 1);
        Assert.Contains("is not a per-CPU array", Assert.Throws<ArgumentException>(() => PerCpuArray<ulong>.Open(plain)).Message);

        using var map = Bpf.MapCreate(BpfMapType.PercpuArray, 4, 8, 2, name: "pcpu_u64");
        var size = Assert.Throws<ArgumentException>(() => PerCpuArray<uint>.Open(map));
        Assert.Contains("holds 8-byte values, and UInt32 is 4 bytes", size.Message);
        Assert.Contains("TwoCounters is 16 bytes", Assert.Throws<ArgumentException>(() => PerCpuArray<TwoCounters>.Open(map)).Message);

        var array = PerCpuArray<ulong>.Open(map);
        Assert.Contains("Index 2 is not in the", Assert.Throws<ArgumentOutOfRangeException>(() => array.Get(2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => array.Clear(uint.MaxValue));
        var values = array.Get(1);
        Assert.Contains($"indexed by CPU number, 0 to {CpuList.NrCpuIds - 1}",
            Assert.Throws<ArgumentOutOfRangeException>(() => values[CpuList.NrCpuIds]).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => values[-1]);
        Assert.Throws<ArgumentNullException>(() => values.Sum(null!));

        map.Dispose();
        Assert.Throws<ObjectDisposedException>(() => PerCpuArray<ulong>.Open(map));
    }
}
