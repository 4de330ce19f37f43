using CpuMap.Managed.Testing;
using static CpuMap.Managed.Syscalls.Tests.TestPrograms;

namespace CpuMap.Managed.Syscalls.Tests;

public class ObjPinTests
{
    [Fact]
    public void Pins_and_gets_maps_programs_and_links()
    {
        Kernel.RequireBpf();
        using var fs = new PrivateBpfFs();
        using var map = Bpf.MapCreate(BpfMapType.Hash, 4, 8, 4, name: "pinned");
        using var prog = LoadXdp();
        Bpf.ObjPin(map, Path.Combine(fs.Path, "map"));
        Bpf.ObjPin(prog, Path.Combine(fs.Path, "prog"));

        using (var again = Bpf.ObjGetMap(Path.Combine(fs.Path, "map")))
        {
            Assert.Equal((map.Id, map.KeySize, map.ValueSize, "pinned"), (again.Id, again.KeySize, again.ValueSize, again.Name));
            Bpf.MapUpdateElem(again, 1u, 2ul);
        }
        Assert.True(Bpf.MapLookupElem(map, 1u, out ulong value));
        Assert.Equal(2ul, value);
        using (var readOnly = Bpf.ObjGetMap(Path.Combine(fs.Path, "map"), BpfFileFlags.Rdonly))
            Assert.Equal(Errno.EPERM, Assert.Throws<BpfException>(() => Bpf.MapUpdateElem(readOnly, 1u, 3ul)).Errno);
        using (var progAgain = Bpf.ObjGetProg(Path.Combine(fs.Path, "prog")))
        {
            Assert.Equal(prog.Id, progAgain.Id);
            Assert.Null(progAgain.LoadAttributes);
        }

        using var veth = new Veth();
        using var link = Bpf.LinkCreateXdp(prog, veth.Ifindex, XdpMode.Skb);
        Bpf.ObjPin(link, Path.Combine(fs.Path, "link"));
        using var linkAgain = Bpf.ObjGetLink(Path.Combine(fs.Path, "link"));
        Assert.Equal(link.Id, linkAgain.Id);
    }

    [Fact]
    public void Getting_the_wrong_kind_is_refused_by_name()
    {
        Kernel.RequireBpf();
        using var fs = new PrivateBpfFs();
        using var map = Bpf.MapCreate(BpfMapType.Array, 4, 4, 1);
        var path = Path.Combine(fs.Path, "m");
        Bpf.ObjPin(map, path);
        var e = Assert.Throws<BpfOperationException>(() => Bpf.ObjGetProg(path));
        Assert.Contains($"The object pinned at '{path}' is a BPF map, not a BPF program", e.Message);
        Assert.Throws<BpfOperationException>(() => Bpf.ObjGetLink(path));
    }

    [Fact]
    public void Kernel_refusals_name_the_path_and_the_fix()
    {
        Kernel.RequireBpf();
        using var fs = new PrivateBpfFs();
        using var map = Bpf.MapCreate(BpfMapType.Array, 4, 4, 1);
        var path = Path.Combine(fs.Path, "m");
        Bpf.ObjPin(map, path);
        var exists = Assert.Throws<BpfException>(() => Bpf.ObjPin(map, path));
        Assert.Equal((BpfCommand.ObjPin, Errno.EEXIST), (exists.Command, exists.Errno));
        Assert.Contains(path, exists.Message);
        var missing = Assert.Throws<BpfException>(() => Bpf.ObjGetMap(Path.Combine(fs.Path, "nothing")));
        Assert.Equal((BpfCommand.ObjGet, Errno.ENOENT), (missing.Command, missing.Errno));
        Assert.Contains("nothing is pinned", missing.Message);
        var notBpffs = Assert.Throws<BpfException>(() => Bpf.ObjPin(map, Path.Combine(Path.GetTempPath(), $"pin-{Guid.NewGuid():N}")));
        Assert.Contains("/sys/fs/bpf", notBpffs.Message);
    }

    [Fact]
    public void Refuses_bad_paths_and_handles()
    {
        Kernel.RequireBpf();
        using var map = Bpf.MapCreate(BpfMapType.Array, 4, 4, 1);
        Assert.Throws<ArgumentException>(() => Bpf.ObjPin(map, ""));
        Assert.Throws<ArgumentNullException>(() => Bpf.ObjPin(map, null!));
        Assert.Contains("NUL", Assert.Throws<ArgumentException>(() => Bpf.ObjGetMap("/sys/fs/bpf/a\0b")).Message);
        Assert.Contains("4095", Assert.Throws<ArgumentException>(() => Bpf.ObjGetMap("/" + new string('a', 5000))).Message);
        Assert.Throws<ArgumentNullException>(() => Bpf.ObjPin(null!, "/sys/fs/bpf/x"));
        map.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Bpf.ObjPin(map, "/sys/fs/bpf/x"));
    }
}
