using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Syscalls.Tests;

public class AllocationTests
{
    private struct Key
    {
        public uint A;
        public uint B;
    }

    [Fact]
    public void Element_commands_allocate_nothing()
    {
        Kernel.RequireBpf();
        using var array = Bpf.MapCreate(BpfMapType.Array, 4, 8, 4);
        using var hash = Bpf.MapCreate(BpfMapType.Hash, 8, 8, 4);
        Span<byte> key = stackalloc byte[4];
        Span<byte> value = stackalloc byte[8];

        void Run(int rounds)
        {
            for (var i = 0; i < rounds; i++)
            {
                var k = (uint)(i & 3);
                Bpf.MapUpdateElem(array, k, (ulong)i);
                Bpf.MapLookupElem(array, k, out ulong _);
                Bpf.MapGetNextKey(array, k, out uint _);
                Bpf.MapGetNextKey(array, out uint _);
                var hk = new Key { A = k, B = 1 };
                Bpf.MapUpdateElem(hash, hk, (ulong)i);
                Bpf.MapLookupElem(hash, hk, out ulong _);
                Bpf.MapDeleteElem(hash, hk);
                Bpf.MapDeleteElem(hash, hk); // not found: a result, not an exception
                Bpf.MapLookupElem(hash, hk, out ulong _);
            }
        }

        Run(100); // JIT and tiering
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(2000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Bpf.MapUpdateElem(array, key, value);
            Bpf.MapLookupElem(array, key, value);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
