using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Testing;
using static CpuMap.Managed.Syscalls.Tests.TestPrograms;

namespace CpuMap.Managed.Syscalls.Tests;

/// <summary>
/// Every CPUMAP error case twice: what the kernel itself answers (through the raw command), and
/// what the typed map says instead, before the call or after it.
/// </summary>
public class BpfCpuMapTests
{
    private static BpfCpumapVal Val(uint qsize, int progFd = -1) => new() { Qsize = qsize, BpfProgFd = progFd };

    [Fact]
    public void Sets_gets_enumerates_and_removes_entries()
    {
        Kernel.RequireBpf();
        using var map = BpfCpuMap.Create(name: "cpus");
        Assert.Equal((uint)(CpuList.Possible[^1] + 1), map.MaxEntries);
        Assert.Equal(CpuMapValueLayout.QsizeAndProg, map.Layout);
        Assert.Equal(CpuMapValueLayout.QsizeAndProg, BpfCpuMap.SupportedLayout);
        Assert.Empty(map.Entries());

        using var remote = LoadXdp(expectedAttachType: BpfAttachType.XdpCpumap);
        map.Set(0, 2048);
        map.Set(1, 512, remote, BpfUpdateFlags.Exist);
        Assert.True(map.TryGet(0, out var first));
        Assert.Equal(new CpuMapEntry(0, 2048, 0), first);
        Assert.True(map.TryGet(1, out var second));
        Assert.Equal(new CpuMapEntry(1, 512, remote.Id), second);
        Assert.Equal([first, second], map.Entries());
        Assert.Equal(second, map.Get(1));

        map.Remove(0);
        map.Remove(0); // removing an unset entry is not an error
        Assert.Null(map.Get(0));
        Assert.False(map.TryGet(0, out var none));
        Assert.Equal(default, none);
        Assert.Equal([second], map.Entries());
    }

    [Fact]
    public void A_cpu_that_is_not_possible()
    {
        Kernel.RequireBpf();
        var notPossible = CpuList.Possible[^1] + 1;
        using var map = BpfCpuMap.Create(maxEntries: (uint)notPossible + 1);
        var kernel = Assert.Throws<BpfException>(() => Bpf.MapUpdateElem(map.Fd, (uint)notPossible, Val(64)));
        Assert.Equal(Errno.ENODEV, kernel.Errno);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => map.Set(notPossible, 64));
        Assert.Equal("cpu", e.ParamName);
        Assert.Contains($"CPU {notPossible} is not a possible CPU", e.Message);
        Assert.Contains($"possible: {CpuList.Possible}", e.Message);
        Assert.Contains("ENODEV", e.Message);
    }

    [Fact]
    public void A_cpu_not_below_max_entries()
    {
        Kernel.RequireBpf();
        using var map = BpfCpuMap.Create(maxEntries: 1);
        Assert.Equal(Errno.E2BIG, Assert.Throws<BpfException>(() => Bpf.MapUpdateElem(map.Fd, 1u, Val(64))).Errno);
        Assert.False(Bpf.MapLookupElem(map.Fd, 1u, out BpfCpumapVal _));                      // lookup: ENOENT
        Assert.Equal(Errno.EINVAL, Assert.Throws<BpfException>(() => Bpf.MapDeleteElem(map.Fd, 1u)).Errno);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => map.Set(1, 64));
        Assert.Contains("CPU 1 is not below this CPUMAP's max_entries (1)", e.Message);
        Assert.Contains("E2BIG", e.Message);
        Assert.Contains("larger maxEntries", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => map.Remove(1));
        Assert.Contains("0..0", Assert.Throws<ArgumentOutOfRangeException>(() => map.TryGet(1, out _)).Message);
        Assert.Contains("start at 0", Assert.Throws<ArgumentOutOfRangeException>(() => map.Set(-1, 64)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => map.TryGet(-1, out _));
    }

    [Fact]
    public void A_qsize_of_zero_would_delete_silently()
    {
        Kernel.RequireBpf();
        using var map = BpfCpuMap.Create();
        map.Set(0, 64);
        Bpf.MapUpdateElem(map.Fd, 0u, Val(0));                                                // the kernel: success...
        Assert.False(map.TryGet(0, out _));                                                   // ...and the entry is gone

        map.Set(0, 64);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => map.Set(0, 0));
        Assert.Equal("qsize", e.ParamName);
        Assert.Contains("delete the entry silently", e.Message);
        Assert.Contains("remove an entry with Remove", e.Message);
        Assert.True(map.TryGet(0, out _));
    }

    [Theory]
    [InlineData(0u, "delete the entry silently")]
    [InlineData(BpfCpuMap.MaxQsize + 1, "16385 is above the kernel's limit of 16384")]
    [InlineData(uint.MaxValue, "is above the kernel's limit of 16384")]
    public void The_qsize_rule_is_asked_without_an_exception_and_set_throws_the_same_reason(uint qsize, string cause)
    {
        Assert.False(BpfCpuMap.IsValidQsize(qsize, out var reason));
        Assert.Contains(cause, reason);
        Assert.True(BpfCpuMap.IsValidQsize(1, out var none) && BpfCpuMap.IsValidQsize(BpfCpuMap.MaxQsize, out none));
        Assert.Null(none);
        Kernel.RequireBpf();
        using var map = BpfCpuMap.Create();
        Assert.StartsWith(reason, Assert.Throws<ArgumentOutOfRangeException>(() => map.Set(0, qsize)).Message);
    }

    [Fact]
    public void The_key_rule_is_asked_without_an_exception()
    {
        Kernel.RequireBpf();
        using var map = BpfCpuMap.Create(maxEntries: 1);
        Assert.True(map.IsValidKey(0, out var none));
        Assert.Null(none);
        Assert.False(map.IsValidKey(1, out var above));
        Assert.Contains("CPU 1 is not below this CPUMAP's max_entries (1)", above);
        Assert.False(map.IsValidKey(-1, out var negative));
        Assert.Contains("start at 0", negative);
        using var wide = BpfCpuMap.Create(maxEntries: (uint)CpuList.NrCpuIds + 1);
        Assert.False(wide.IsValidKey(CpuList.NrCpuIds, out var impossible));
        Assert.Contains($"CPU {CpuList.NrCpuIds} is not a possible CPU of this machine", impossible);
    }

    [Fact]
    public void A_qsize_above_16384()
    {
        Kernel.RequireBpf();
        using var map = BpfCpuMap.Create();
        Bpf.MapUpdateElem(map.Fd, 0u, Val(BpfCpuMap.MaxQsize));
        // Caught as the root every refusal shares, it still says which command failed and what the kernel answered.
        BpfOperationException refused = Assert.Throws<BpfException>(() => Bpf.MapUpdateElem(map.Fd, 0u, Val(BpfCpuMap.MaxQsize + 1)));
        Assert.Equal(("BPF_MAP_UPDATE_ELEM", Errno.EOVERFLOW, (int)Errno.EOVERFLOW), (refused.Operation, refused.Errno, refused.HResult));

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => map.Set(0, BpfCpuMap.MaxQsize + 1));
        Assert.Contains("16385 is above the kernel's limit of 16384", e.Message);
        Assert.Contains("EOVERFLOW", e.Message);
    }

    [Fact]
    public void Bpf_noexist_always_fails()
    {
        Kernel.RequireBpf();
        using var map = BpfCpuMap.Create();
        Assert.Equal(Errno.EEXIST, Assert.Throws<BpfException>(() => Bpf.MapUpdateElem(map.Fd, 0u, Val(64), BpfUpdateFlags.NoExist)).Errno);
        map.Set(0, 64);
        Assert.Equal(Errno.EEXIST, Assert.Throws<BpfException>(() => Bpf.MapUpdateElem(map.Fd, 0u, Val(64), BpfUpdateFlags.NoExist)).Errno);
        Bpf.MapUpdateElem(map.Fd, 1u, Val(64), BpfUpdateFlags.Exist);                         // BPF_EXIST on an empty slot: fine

        var e = Assert.Throws<ArgumentException>(() => map.Set(0, 64, flags: BpfUpdateFlags.NoExist));
        Assert.Equal("flags", e.ParamName);
        Assert.Contains("BPF_NOEXIST always fails on a CPUMAP with EEXIST", e.Message);
        Assert.Equal(Errno.EINVAL, Assert.Throws<BpfException>(() => Bpf.MapUpdateElem(map.Fd, 0u, Val(64), (BpfUpdateFlags)3)).Errno);
        Assert.Contains("BPF_ANY or BPF_EXIST only", Assert.Throws<ArgumentOutOfRangeException>(() => map.Set(0, 64, flags: BpfUpdateFlags.Lock)).Message);
    }

    [Fact]
    public void A_program_without_the_cpumap_attach_type()
    {
        Kernel.RequireBpf();
        using var map = BpfCpuMap.Create();
        using var plain = LoadXdp();
        map.Set(0, 64);
        var kernel = Assert.Throws<BpfException>(() => Bpf.MapUpdateElem(map.Fd, 0u, Val(128, plain.Fd)));
        Assert.Equal(Errno.ENOMEM, kernel.Errno);
        Assert.True(map.TryGet(0, out var kept));
        Assert.Equal(64u, kept.Qsize);                                                        // the old entry is kept

        var before = Assert.Throws<ArgumentException>(() => map.Set(0, 64, plain));
        Assert.Equal("program", before.ParamName);
        Assert.Contains("not loaded with expected attach type BPF_XDP_CPUMAP", before.Message);
        Assert.Contains("expectedAttachType: BpfAttachType.XdpCpumap", before.Message);

        // Opened by id, the load attributes are unknown: the kernel is asked, and its ENOMEM explained.
        using var byId = Bpf.ProgGetFdById(plain.Id);
        var after = Assert.Throws<BpfException>(() => map.Set(0, 64, byId));
        Assert.Equal((BpfCommand.MapUpdateElem, Errno.ENOMEM), (after.Command, after.Errno));
        Assert.Contains("does not mean a memory shortage", after.Message);
        Assert.Contains("BPF_XDP_CPUMAP", after.Message);
        Assert.Contains("BPF_F_XDP_HAS_FRAGS", after.Message);
    }

    [Fact]
    public void A_program_whose_frags_flag_differs_from_the_first_user()
    {
        Kernel.RequireBpf();
        using var map = BpfCpuMap.Create();
        using var frags = LoadXdp(expectedAttachType: BpfAttachType.XdpCpumap, flags: BpfProgFlags.XdpHasFrags);
        using var noFrags = LoadXdp(expectedAttachType: BpfAttachType.XdpCpumap);
        map.Set(0, 64, frags);
        Assert.Equal(Errno.ENOMEM, Assert.Throws<BpfException>(() => Bpf.MapUpdateElem(map.Fd, 0u, Val(64, noFrags.Fd))).Errno);

        var before = Assert.Throws<ArgumentException>(() => map.Set(0, 64, noFrags));
        Assert.Contains("loaded without BPF_F_XDP_HAS_FRAGS but this CPUMAP was first used by a program with it", before.Message);
        Assert.Contains("use a new CPUMAP", before.Message);

        // Another wrapper of the same map has not seen the first program: the kernel answers, and is explained.
        using var other = BpfCpuMap.Open(map.Fd);
        var after = Assert.Throws<BpfException>(() => other.Set(0, 64, noFrags));
        Assert.Equal(Errno.ENOMEM, after.Errno);
        Assert.Contains("loaded without BPF_F_XDP_HAS_FRAGS", after.Message);
        Assert.Contains($"CPU 0", after.Message);

        // The lock outlives the first program, and a redirect program with the other setting fails to load.
        map.Remove(0);
        frags.Dispose();
        Assert.Equal(Errno.ENOMEM, Assert.Throws<BpfException>(() => Bpf.MapUpdateElem(map.Fd, 0u, Val(64, noFrags.Fd))).Errno);
        var redirect = Assert.Throws<BpfVerifierException>(() => Bpf.ProgLoad(BpfProgType.Xdp, RedirectToCpu(map.Fd, 0)));
        Assert.Equal(Errno.EINVAL, redirect.Errno);
        Assert.Contains("BPF_F_XDP_HAS_FRAGS", redirect.Message);
        Assert.Contains("passed the verifier", redirect.Message);
    }

    [Fact]
    public void A_program_that_is_not_xdp_or_is_closed()
    {
        Kernel.RequireBpf();
        using var map = BpfCpuMap.Create();
        using var filter = Bpf.ProgLoad(BpfProgType.SocketFilter, Program(MovImm(0, 0), Exit()));
        Assert.Equal(Errno.ENOMEM, Assert.Throws<BpfException>(() => Bpf.MapUpdateElem(map.Fd, 0u, Val(64, filter.Fd))).Errno);
        Assert.Contains("runs XDP programs only", Assert.Throws<ArgumentException>(() => map.Set(0, 64, filter)).Message);

        var closed = LoadXdp(expectedAttachType: BpfAttachType.XdpCpumap);
        closed.Dispose();
        Assert.Contains("'program'", Assert.Throws<ObjectDisposedException>(() => map.Set(0, 64, closed)).Message);
    }

    [Fact]
    public void The_four_byte_layout_of_kernels_before_5_9()
    {
        Kernel.RequireBpf();
        using var map = BpfCpuMap.Create(layout: CpuMapValueLayout.Qsize);
        Assert.Equal(4u, map.Fd.ValueSize);
        map.Set(0, 256);
        Assert.True(map.TryGet(0, out var entry));
        Assert.Equal(new CpuMapEntry(0, 256, 0), entry);
        using var remote = LoadXdp(expectedAttachType: BpfAttachType.XdpCpumap);
        Assert.Contains("4-byte values", Assert.Throws<ArgumentException>(() => map.Set(0, 256, remote)).Message);
    }

    [Fact]
    public void Bad_creation_and_wrapping()
    {
        Kernel.RequireBpf();
        Assert.Contains("at least 1", Assert.Throws<ArgumentOutOfRangeException>(() => BpfCpuMap.Create(maxEntries: 0)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => BpfCpuMap.Create(layout: (CpuMapValueLayout)12));
        var big = Assert.Throws<BpfException>(() => BpfCpuMap.Create(maxEntries: 1_000_000));
        Assert.Equal(Errno.E2BIG, big.Errno);
        Assert.Contains("NR_CPUS", big.Message);
        using var array = Bpf.MapCreate(BpfMapType.Array, 4, 8, 1);
        Assert.Contains("BPF_MAP_TYPE_CPUMAP", Assert.Throws<ArgumentException>(() => BpfCpuMap.Open(array)).Message);
        Assert.Throws<ArgumentNullException>(() => BpfCpuMap.Open(null!));
    }

    [Fact]
    public void Open_borrows_and_create_owns_the_fd()
    {
        Kernel.RequireBpf();
        var owned = BpfCpuMap.Create();
        using (var borrowed = BpfCpuMap.Open(owned.Fd))
            borrowed.Set(0, 32);
        Assert.False(owned.Fd.IsClosed);
        owned.Dispose();
        Assert.True(owned.Fd.IsClosed);
        Assert.Throws<ObjectDisposedException>(() => owned.Entries().ToList());
    }

    [Fact]
    public void Live_frames_reach_the_remote_cpu_program()
    {
        Kernel.RequireBpf();
        using var counter = Bpf.MapCreate(BpfMapType.Array, 4, 8, 1);
        using var remote = Bpf.ProgLoad(BpfProgType.Xdp, CountAndDrop(counter), expectedAttachType: BpfAttachType.XdpCpumap);
        using var map = BpfCpuMap.Create();
        var cpu = CpuList.Possible[^1];
        map.Set(cpu, 2048, remote); // a queue deeper than the frames sent: none dropped
        using var redirect = Bpf.ProgLoad(BpfProgType.Xdp, RedirectToCpu(map.Fd, cpu));

        const int frames = 500;
        Bpf.ProgTestRun(redirect, EthernetFrame(), repeat: frames, flags: BpfTestRunFlags.XdpLiveFrames, batchSize: 16);
        // The remote CPU's kernel thread drains its queue asynchronously.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        ulong seen;
        while (Bpf.MapLookupElem(counter, 0u, out seen) && seen < frames && DateTime.UtcNow < deadline)
            Thread.Sleep(10);
        Assert.Equal((ulong)frames, seen);
    }
}
