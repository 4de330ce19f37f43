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
        // Parsing, hashing and counting in one pass, no loops: well under what a verifier log would complain about.
        Assert.InRange(program.SlotCount, 80, 160);
        Assert.Equal(14, symmetric.SlotCount - program.SlotCount);   // compare, tie-break on ports, swap
        var listing = program.ToString();
        Assert.Contains("call 0x33", listing);           // bpf_redirect_map
    }
}
