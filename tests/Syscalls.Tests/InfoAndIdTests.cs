using CpuMap.Managed.Testing;
using static CpuMap.Managed.Syscalls.Tests.TestPrograms;

namespace CpuMap.Managed.Syscalls.Tests;

public class InfoAndIdTests
{
    [Fact]
    public void Program_info_lists_the_maps_it_uses_and_ids_open_them()
    {
        Kernel.RequireBpf();
        using var cpumap = Bpf.MapCreate(BpfMapType.Cpumap, 4, 8, 1, name: "cpus");
        using var prog = Bpf.ProgLoad(BpfProgType.Xdp, RedirectToCpu(cpumap, 0), name: "redirect");
        Span<uint> mapIds = stackalloc uint[4];
        var info = Bpf.ObjGetInfoByFd(prog, mapIds);
        Assert.Equal(1u, info.NrMapIds);
        Assert.Equal(cpumap.Id, mapIds[0]);

        using var byId = Bpf.MapGetFdById(mapIds[0]);
        Assert.Equal((BpfMapType.Cpumap, "cpus", 8u), (byId.Type, byId.Name, byId.ValueSize));
        using var progById = Bpf.ProgGetFdById(info.Id);
        Assert.Equal((prog.Id, BpfProgType.Xdp), (progById.Id, progById.Type));
        Assert.Null(progById.LoadAttributes);
    }

    [Fact]
    public void Unknown_ids_are_explained()
    {
        Kernel.RequireBpf();
        var map = Assert.Throws<BpfException>(() => Bpf.MapGetFdById(uint.MaxValue));
        Assert.Equal((BpfCommand.MapGetFdById, Errno.ENOENT), (map.Command, map.Errno));
        Assert.Contains($"id {uint.MaxValue}", map.Message);
        Assert.Equal(Errno.ENOENT, Assert.Throws<BpfException>(() => Bpf.ProgGetFdById(uint.MaxValue)).Errno);
        Assert.Equal(Errno.ENOENT, Assert.Throws<BpfException>(() => Bpf.LinkGetFdById(uint.MaxValue)).Errno);
        Assert.Equal("id", Assert.Throws<ArgumentOutOfRangeException>(() => Bpf.MapGetFdById(0)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Bpf.ProgGetFdById(0));
    }

    [Fact]
    public void Info_of_disposed_handles_is_refused()
    {
        Kernel.RequireBpf();
        var map = Bpf.MapCreate(BpfMapType.Array, 4, 4, 1);
        map.Dispose();
        Assert.Contains("'map'", Assert.Throws<ObjectDisposedException>(() => Bpf.ObjGetInfoByFd(map)).Message);
        Assert.Throws<ArgumentNullException>(() => Bpf.ObjGetInfoByFd((ProgFd)null!));
    }
}
