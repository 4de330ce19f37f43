using CpuMap.Managed.Programs.Bytecode;
using CpuMap.Managed.Programs.Redirect;
namespace CpuMap.Managed.Programs.Tests;

/// <summary>The flow-hash program as instructions, without a kernel.</summary>
public sealed class FlowHashProgramTests
{
    [Fact]
    public void Reads_its_maps_by_name_and_stays_small()
    {
        var program = FlowHashProgram.Build(symmetric: false);
        var symmetric = FlowHashProgram.Build(symmetric: true);
        Assert.Equal(
            [FlowHashProgram.CpuMapMap, FlowHashProgram.CpusAvailableMap, FlowHashProgram.NonIpCpuMap, FlowHashProgram.NrCpusMap, RedirectStats.MapName],
            program.References.Select(r => r.Name).Distinct().Order(StringComparer.Ordinal));
        // A budget, not a measurement: parsing, hashing and counting in one pass with no loops should stay
        // within 160 slots (the exact count is our own output, so it is not pinned).
        Assert.True(program.SlotCount <= 160, $"the flow-hash program grew to {program.SlotCount} slots");
        // The symmetric variant adds the address/port ordering in front of the same hash.
        Assert.True(symmetric.SlotCount > program.SlotCount, $"symmetric {symmetric.SlotCount} slots, plain {program.SlotCount}");
        var listing = program.ToString();
        Assert.Contains("call 0x33", listing);           // bpf_redirect_map
    }

    [Fact]
    public void With_a_table_it_reads_the_bucket_map_and_counters_instead_of_the_cpu_list()
    {
        var table = FlowHashProgram.Build(symmetric: false, buckets: 128);
        Assert.Equal(
            [FlowHashProgram.CpuMapMap, FlowHashProgram.NonIpCpuMap, RedirectStats.MapName, FlowHashProgram.BucketPacketsMap, FlowHashProgram.IndirectionTableMap],
            table.References.Select(r => r.Name).Distinct().Order(StringComparer.Ordinal));
        // The mask is the table's size less one, as an immediate: 128 buckets keep the hash's low 7 bits.
        Assert.Contains("&= 0x7f", table.ToString());
        Assert.Contains("&= 0xfff", FlowHashProgram.Build(symmetric: false, buckets: 4096).ToString());
    }
}
