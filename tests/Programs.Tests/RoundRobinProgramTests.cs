using CpuMap.Managed.Syscalls;
using CpuMap.Managed.Testing;
using CpuMap.Managed.Elf;
using CpuMap.Managed.Programs.Bytecode;

namespace CpuMap.Managed.Programs.Tests;

/// <summary>The DSL program itself, without a kernel: its size beside clang's, and its listing.</summary>
public sealed class RoundRobinProgramTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("clang14")]
    [InlineData("clang19")]
    public void Dsl_program_is_not_larger_than_clang_O2_of_the_seeds_C(string compiler)
    {
        var path = ClangFixture.RoundRobin(compiler);
        var clang = BpfObject.Load(path).GetProgram(RoundRobinProgram.Name).InstructionCount;
        var dsl = RoundRobinProgram.Build().SlotCount;

        output.WriteLine($"{RoundRobinProgram.Name}: DSL {dsl} instruction slots, {compiler} -O2 {clang} ({path})");
        Assert.True(dsl <= clang, $"the DSL program has {dsl} slots, more than {compiler}'s {clang}");
    }

    [Fact]
    public void Listing_reads_like_the_seed_and_names_its_maps()
    {
        var program = RoundRobinProgram.Build();
        var listing = program.ToString();
        output.WriteLine(listing);

        // Its size has an independent yardstick, clang -O2 of the seed's C (the test above); the count
        // itself is our own output, so it is printed, not pinned. The listing has one line per
        // instruction, an ld_imm64 taking two slots.
        var lddw = program.Instructions.Count(i => i.Opcode == 0x18);
        Assert.Equal(program.SlotCount, program.Instructions.Length + lddw);
        Assert.Equal(
            [RoundRobinProgram.CpusIteratorMap, RoundRobinProgram.NrCpusMap, RoundRobinProgram.CpusAvailableMap, RoundRobinProgram.CpuMapMap],
            program.References.Select(r => r.Name));
        Assert.Contains("call 0x1", listing);
        Assert.Contains("call 0x33", listing); // bpf_redirect_map
        Assert.Contains("if w1 < w2 goto", listing);
    }

    [Theory]
    [InlineData(XdpAction.Pass, "w0 = 0x2")]
    [InlineData(XdpAction.Drop, "w0 = 0x1")]
    public void Remote_program_returns_the_action_chosen_at_build_time(XdpAction action, string expected)
    {
        var listing = RemoteCpuCountProgram.Build(action).ToString();
        Assert.Contains(expected, listing);
        Assert.Equal(RemoteCpuCountProgram.RemotePacketsMap, Assert.Single(RemoteCpuCountProgram.Build(action).References).Name);
    }

    [Theory]
    [InlineData(XdpAction.Aborted)]
    [InlineData(XdpAction.Tx)]
    [InlineData(XdpAction.Redirect)]
    [InlineData((XdpAction)77)]
    public void Remote_program_refuses_actions_other_than_pass_and_drop(XdpAction action)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => RemoteCpuCountProgram.Build(action));
        Assert.Equal("action", e.ParamName);
        Assert.Contains("XDP_PASS", e.Message);
        Assert.Contains("XdpAction.Drop", e.Message);
    }
}
