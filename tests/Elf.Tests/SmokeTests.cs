namespace CpuMap.Managed.Elf.Tests;

public class SmokeTests
{
    [Fact]
    public void Runs() => Assert.True(true);
}
