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
}
