using BpfAsm;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Programs;

/// <summary>
/// Loads a DSL program whose map references are by name: binds each name to the fd of the map of
/// that name, encodes, and calls BPF_PROG_LOAD. Shared by every program of this project.
/// </summary>
internal static class DslProgramLoader
{
    internal static ProgFd Load(BpfProgram program, string name, IReadOnlyList<MapFd> maps,
        BpfAttachType? expectedAttachType = null, BpfProgType type = BpfProgType.Xdp)
    {
        var bound = program.BindMaps(reference =>
        {
            foreach (var map in maps)
                if (map.Name == reference.Name)
                    return map.Fd;
            throw new InvalidOperationException(
                $"instruction {reference.Slot} of {name} refers to map '{reference.Name}', which is not among the maps created for it " +
                $"({string.Join(", ", maps.Select(m => m.Name))}); create a map of that name or fix the name in the program.");
        });
        // The fds written into the instructions must stay open until the kernel has taken its own references.
        var added = new bool[maps.Count];
        try
        {
            for (var i = 0; i < maps.Count; i++)
                maps[i].DangerousAddRef(ref added[i]);
            return Bpf.ProgLoad(type, Instruction.Encode(bound), "GPL", expectedAttachType, name: Truncate(name));
        }
        finally
        {
            for (var i = 0; i < maps.Count; i++)
                if (added[i])
                    maps[i].DangerousRelease();
        }
    }

    /// <summary>The kernel keeps 15 characters of a program name (BPF_OBJ_NAME_LEN - 1), as libbpf truncates.</summary>
    private static string Truncate(string name) => name.Length <= 15 ? name : name[..15];
}
