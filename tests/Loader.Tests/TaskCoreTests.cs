using System.Diagnostics;
using System.Runtime.InteropServices;
using CpuMap.Managed.Elf.Btf;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader.Tests;

/// <summary>
/// A tp_btf program written as public projects write them (vmlinux.h, BPF_PROG, BPF_CORE_READ), loaded with its CO-RE
/// relocations for the kernel to apply, attached by its attach_btf_id, and run by the kernel for a real child process:
/// what it read from the child's task_struct is checked against the pids this process knows.
/// </summary>
public sealed class TaskCoreTests
{
    [StructLayout(LayoutKind.Sequential)]
    private struct NewTask
    {
        public uint Pid;
        public uint Tgid;
        public uint ParentTgid;
    }

    [Theory]
    [MemberData(nameof(Fixtures.EachCompiler), MemberType = typeof(Fixtures))]
    public void Task_newtask_reads_the_childs_pid_and_its_parents_tgid_through_core(string compiler)
    {
        Kernel.RequireBpf();
        var spec = Fixtures.Open(compiler, "task_core");
        // task->pid, task->tgid and task->real_parent: a field-offset relocation for each, for the kernel to apply (clang
        // reads the parent's tgid at the offset relocated for the child's).
        Assert.Equal(Enumerable.Repeat(BtfCoreReloKind.FieldByteOffset, 3), spec.Object.BtfExt!.Sections.SelectMany(s => s.CoreRelos).Select(r => r.Kind));
        using var collection = spec.Load();
        var program = collection.GetProgram("on_task_newtask");
        Assert.Equal(BpfAttachType.TraceRawTp, program.Section.ExpectedAttachType);
        // Its target is its attach_btf_id: the kernel refuses a tracepoint name for it, and the error says to leave it out.
        var named = Assert.Throws<BpfException>(() => Bpf.RawTracepointOpen(program.Fd, "task_newtask"));
        Assert.Equal(Errno.EINVAL, named.Errno);
        Assert.Contains("call RawTracepointOpen(prog) without one", named.Message);

        int childPid;
        using (Bpf.RawTracepointOpen(program.Fd))
        {
            using var child = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
            child.WaitForExit();
            childPid = child.Id;
        }

        Assert.True(Bpf.MapLookupElem(collection.GetMap("new_tasks").Fd, (uint)childPid, out NewTask seen),
            $"the program saw no new task with pid {childPid}");
        Assert.Equal((uint)childPid, seen.Pid);
        Assert.Equal((uint)childPid, seen.Tgid); // a new process leads its own thread group
        Assert.Equal((uint)Environment.ProcessId, seen.ParentTgid);
    }
}
