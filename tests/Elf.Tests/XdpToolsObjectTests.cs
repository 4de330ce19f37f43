using CpuMap.Managed.Testing;

namespace CpuMap.Managed.Elf.Tests;

/// <summary>Objects built by other people's clang: the ones Debian's libxdp1 (pulled in by
/// xdp-tools) installs. The cross-check tests also run over them when present.</summary>
public class XdpToolsObjectTests
{
    [Fact]
    public void Every_installed_xdp_tools_object_is_read()
    {
        var paths = Fixtures.XdpToolsObjects();
        if (paths.Length == 0)
            Kernel.Unavailable($"no BPF objects in {Fixtures.XdpToolsDirectory}; install them with: apt-get install xdp-tools");
        foreach (var path in paths)
        {
            var obj = BpfObject.Load(path);
            Assert.Equal("GPL", obj.License);
            Assert.NotEmpty(obj.Programs);
            Assert.NotNull(obj.Btf);
            Assert.All(obj.Maps, m => Assert.NotEqual(BpfMapType.Unspec, m.Type));
        }
    }

    [Fact]
    public void The_xdp_dispatcher_calls_its_ten_slots_and_compat_test()
    {
        var path = Path.Combine(Fixtures.XdpToolsDirectory, "xdp-dispatcher.o");
        if (!File.Exists(path))
            Kernel.Unavailable($"{path} is missing; install it with: apt-get install xdp-tools");
        var obj = BpfObject.Load(path);

        var dispatcher = obj.GetProgram("xdp_dispatcher");
        Assert.Equal("xdp", dispatcher.SectionName);
        var calls = dispatcher.Relocations.Where(r => r.Kind == BpfRelocationKind.SubprogramCall).Select(r => r.TargetName);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"prog{i}").Append("compat_test"), calls);
        Assert.All(dispatcher.Relocations.Where(r => r.Kind == BpfRelocationKind.GlobalData), r => Assert.Equal(".rodata", r.TargetName));
        Assert.Equal(11, obj.Subprograms.Count);
        Assert.All(obj.Subprograms, p => Assert.Equal(ElfSymbolBinding.Global, p.Binding));
        var conf = obj.GetGlobalData(".rodata").FindVariable("conf")!;
        Assert.Equal(ElfSymbolBinding.Local, conf.Binding);
        Assert.Equal((ulong)conf.Size, obj.Btf!.ResolveSize(conf.BtfTypeId));
    }

    [Fact]
    public void The_xdp_filter_maps_are_pinned_by_name()
    {
        var path = Path.Combine(Fixtures.XdpToolsDirectory, "xdpfilt_alw_all.o");
        if (!File.Exists(path))
            Kernel.Unavailable($"{path} is missing; install it with: apt-get install xdp-tools");
        var obj = BpfObject.Load(path);

        Assert.Equal(["xdp_stats_map", "filter_ports", "filter_ipv4", "filter_ipv6", "filter_ethernet"], obj.Maps.Select(m => m.Name));
        Assert.All(obj.Maps, m => Assert.Equal(1u, m.Pinning));
        Assert.Equal((BpfMapType.PercpuHash, 16u, 10000u), (obj.GetMap("filter_ipv6").Type, obj.GetMap("filter_ipv6").KeySize, obj.GetMap("filter_ipv6").MaxEntries)); // PERCPU_HASH of IPv6 addresses
    }
}
