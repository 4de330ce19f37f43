using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Syscalls.Xdp;
using CpuMap.Managed.Testing;
using static CpuMap.Managed.Syscalls.Tests.TestPrograms;

namespace CpuMap.Managed.Syscalls.Tests;

/// <summary>
/// Each feature probe's answer against what the kernel then does when the feature is used for real, by another route
/// than the probe's: a probe that says "available" for a feature that fails, or "missing" for one that works, fails here.
/// </summary>
public sealed partial class KernelFeatureTests
{
    [Fact]
    public void As_root_no_probe_is_left_unknown()
    {
        Kernel.RequireBpf();
        foreach (var feature in KernelFeatures.All)
            Assert.True(feature.State != FeatureState.Unknown, $"{feature}");
    }

    [Fact]
    public void Xdp_links_probe_matches_a_link_on_a_veth()
    {
        Kernel.RequireBpf();
        using var veth = new XdpTestVeth();
        using var prog = LoadXdp();
        var works = Works(() => XdpAttachment.Attach(veth.Ifindex, prog, XdpMode.Skb, XdpAttachMethod.Link, veth.Namespace).Dispose());
        Assert.Equal(works, KernelFeatures.XdpLinks.IsAvailable);
    }

    [Fact]
    public void Cpumap_programs_probe_matches_an_entry_with_a_remote_program()
    {
        Kernel.RequireBpf();
        using var remote = LoadXdp(XdpAction.Pass, BpfAttachType.XdpCpumap);
        var works = Works(() =>
        {
            using var map = BpfCpuMap.Create(1, layout: CpuMapValueLayout.QsizeAndProg);
            map.Set(0, 64, remote);
            Assert.Equal(remote.Id, map.Get(0)!.Value.ProgId);
        });
        Assert.Equal(works, KernelFeatures.CpuMapPrograms.IsAvailable);
        Assert.Equal(works ? CpuMapValueLayout.QsizeAndProg : CpuMapValueLayout.Qsize, BpfCpuMap.SupportedLayout);
    }

    [Fact]
    public void Live_frames_probe_matches_frames_passed_up_the_stack()
    {
        Kernel.RequireBpf();
        using var prog = LoadXdp(XdpAction.Pass);
        var works = Works(() => Bpf.ProgTestRun(prog, EthernetFrame(), repeat: 100, flags: BpfTestRunFlags.XdpLiveFrames, batchSize: 16));
        Assert.Equal(works, KernelFeatures.LiveFrames.IsAvailable);
        // The kernel checks the flag's companions (batch_size at most 256): the probe's success is not a flag the kernel ignores.
        var refused = Assert.Throws<BpfException>(() => Bpf.ProgTestRun(prog, EthernetFrame(), flags: BpfTestRunFlags.XdpLiveFrames, batchSize: 257));
        Assert.Equal(works ? Errno.E2BIG : Errno.EINVAL, refused.Errno);
    }

    public static TheoryData<string> BtfKinds => ["Btf", "BtfFunc", "BtfGlobalFunc", "BtfDatasec", "BtfFloat", "BtfDeclTag", "BtfTypeTag", "BtfEnum64"];

    [Theory]
    [MemberData(nameof(BtfKinds))]
    public void Btf_kind_probes_are_answered_by_the_kinds_they_use(string name)
    {
        Kernel.RequireBpf();
        var feature = (KernelFeature)typeof(KernelFeatures).GetProperty(name)!.GetValue(null)!;
        var blob = name switch
        {
            "Btf" => BtfProbes.Int(),
            "BtfFunc" => BtfProbes.Func(global: false),
            "BtfGlobalFunc" => BtfProbes.Func(global: true),
            "BtfDatasec" => BtfProbes.Datasec(),
            "BtfFloat" => BtfProbes.Float(),
            "BtfDeclTag" => BtfProbes.DeclTag(),
            "BtfTypeTag" => BtfProbes.TypeTag(),
            _ => BtfProbes.Enum64(),
        };
        Assert.Equal(BtfLoadErrno(blob) == 0, feature.IsAvailable);
        // The same blob with its last type's kind set to one no kernel has (31) is refused: the kernel reads the kinds.
        var lastTypeInfo = LastTypeInfoOffset(name, blob);
        blob[lastTypeInfo + 3] = 31;
        Assert.Equal(Errno.EINVAL, BtfLoadErrno(blob));
    }

    [Fact]
    public void Kernel_core_probe_matches_a_kernel_that_reads_core_relocations()
    {
        Kernel.RequireBpf();
        // With program BTF and func_info (without them the kernel skips core_relos altogether): a kernel that applies
        // CO-RE loads zero relocations and refuses one that points past the program (EINVAL); one that does not know the
        // attribute refuses both for the non-zero tail (E2BIG).
        var withNone = ProgLoadWithCoreRelos(count: 0);
        var withBadOne = ProgLoadWithCoreRelos(count: 1);
        if (KernelFeatures.KernelCoRe.IsAvailable)
            Assert.Equal(((Errno)0, Errno.EINVAL), (withNone, withBadOne));
        else
            Assert.Equal((Errno.E2BIG, Errno.E2BIG), (withNone, withBadOne));
    }

    [Fact]
    public void Kfunc_probe_matches_a_call_to_a_real_kfunc()
    {
        Kernel.RequireBpf();
        var bpftool = Kernel.RequireTool("bpftool");
        var id = VmlinuxFuncId(bpftool, "bpf_dynptr_from_xdp");
        // r6 = ctx; r1 = r6; r2 = 0; r3 = r10 - 16; call bpf_dynptr_from_xdp (a kfunc); r0 = XDP_PASS; exit
        var program = Program(
            Insn(0xbf, 6, 1, 0, 0), Insn(0xbf, 1, 6, 0, 0), MovImm(2, 0), Insn(0xbf, 3, 10, 0, 0), Insn(0x07, 3, 0, 0, -16),
            Insn(0x85, 0, 2, 0, id), MovImm(0, (int)XdpAction.Pass), Exit());
        Assert.Equal(Works(() => Bpf.ProgLoad(BpfProgType.Xdp, program).Dispose()), KernelFeatures.Kfuncs.IsAvailable);
    }

    [Fact]
    public void A_missing_feature_is_refused_by_name_with_the_version_for_reference()
    {
        var missing = new KernelFeature("XDP live frames (BPF_F_TEST_XDP_LIVE_FRAMES)", "5.18", () => (FeatureState.Missing, "BPF_PROG_TEST_RUN answered EINVAL"));
        var e = Assert.Throws<BpfOperationException>(() => missing.Require("The demo's traffic source"));
        Assert.Equal(("The demo's traffic source", (Errno?)null), (e.Operation, e.Errno));
        Assert.Equal("The demo's traffic source needs XDP live frames (BPF_F_TEST_XDP_LIVE_FRAMES), which this kernel lacks " +
                     "(BPF_PROG_TEST_RUN answered EINVAL). Mainline Linux has it since 5.18: run on a kernel that has it.", e.Message);
    }

    [Fact]
    public void A_refused_probe_is_unknown_and_lets_the_operation_answer()
    {
        var probes = 0;
        var refused = new KernelFeature("XDP links", "5.9", () =>
        {
            probes++;
            throw new BpfException(BpfCommand.ProgLoad, Errno.EPERM, "needs CAP_BPF");
        });
        Assert.Equal(FeatureState.Unknown, refused.State);
        Assert.Contains("EPERM", refused.Detail);
        refused.Require("cpumap attach"); // no throw: the attach itself will get the kernel's answer
        Assert.Equal(FeatureState.Unknown, refused.State);
        Assert.Equal(1, probes); // probed once, remembered
    }

    private static bool Works(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (BpfException)
        {
            return false;
        }
        catch (XdpAttachException)
        {
            return false;
        }
    }

    private static unsafe Errno BtfLoadErrno(byte[] blob)
    {
        fixed (byte* p = blob)
        {
            var attr = new BtfLoadAttr { Btf = (ulong)p, BtfSize = (uint)blob.Length };
            var fd = Interop.Bpf(BpfCommand.BtfLoad, ref attr);
            if (fd < 0)
                return Errno.Last;
            Interop.Close(fd);
            return 0;
        }
    }

    /// <summary>The byte offset of the info word of each blob's last type record (header 24 bytes, records as BtfProbes writes them).</summary>
    private static int LastTypeInfoOffset(string name, byte[] blob) => 24 + 4 * name switch
    {
        "Btf" => 1,                  // int: name, info
        "BtfFunc" or "BtfGlobalFunc" => 4 + 5 + 1, // int(4) proto(3+2) func: name, info
        "BtfDatasec" => 4 + 4 + 1,   // int(4) var(4) datasec: name, info
        "BtfFloat" => 1,
        "BtfDeclTag" => 4 + 4 + 1,   // int(4) var(4) decl_tag: name, info
        "BtfTypeTag" => 4 + 3 + 1,   // int(4) type_tag(3) ptr: name, info
        _ => 1,                      // enum64: name, info
    };

    /// <summary>XDP_PASS with BTF [1] int, [2] func_proto, [3] func "a" as its func_info, and <paramref name="count"/> relocations of
    /// struct bpf_core_relo (insn_off, type_id, access_str_off, kind) whose insn_off lies past the program.</summary>
    private static unsafe Errno ProgLoadWithCoreRelos(uint count)
    {
        var insns = Return(XdpAction.Pass);
        var btf = BtfProbes.Func(global: false);
        uint[] funcInfo = [0, 3];
        uint[] relo = [8000, 1, 0, 0];
        fixed (byte* b = btf)
        fixed (byte* i = insns)
        fixed (uint* f = funcInfo)
        fixed (uint* r = relo)
        fixed (byte* license = "GPL\0"u8)
        {
            var btfAttr = new BtfLoadAttr { Btf = (ulong)b, BtfSize = (uint)btf.Length };
            var btfFd = Interop.Bpf(BpfCommand.BtfLoad, ref btfAttr);
            Assert.True(btfFd >= 0, $"BPF_BTF_LOAD failed with errno {Marshal.GetLastPInvokeError()}");
            try
            {
                var attr = new ProgLoadAttr
                {
                    ProgType = BpfProgType.Xdp,
                    InsnCnt = (uint)insns.Length / 8,
                    Insns = (ulong)i,
                    License = (ulong)license,
                    ProgBtfFd = btfFd,
                    FuncInfo = (ulong)f,
                    FuncInfoCnt = 1,
                    FuncInfoRecSize = 8,
                    CoreRelos = (ulong)r,
                    CoreReloCnt = count,
                    CoreReloRecSize = 16,
                };
                var fd = Interop.Bpf(BpfCommand.ProgLoad, ref attr);
                if (fd < 0)
                    return Errno.Last;
                Interop.Close(fd);
                return 0;
            }
            finally
            {
                Interop.Close(btfFd);
            }
        }
    }

    private static int VmlinuxFuncId(string bpftool, string name)
    {
        var start = new ProcessStartInfo(bpftool, ["btf", "dump", "file", "/sys/kernel/btf/vmlinux"]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var dump = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var match = Regex.Match(dump, $@"^\[(\d+)\] FUNC '{name}'", RegexOptions.Multiline);
        if (!match.Success)
            Kernel.Unavailable($"this kernel's BTF has no kfunc {name} to call");
        return int.Parse(match.Groups[1].Value);
    }
}
