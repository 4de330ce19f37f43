using CpuMap.Managed.Syscalls;
using DslProgram = BpfAsm.BpfProgram;

namespace CpuMap.Managed.Loader;

/// <summary>
/// Loads a program built with the bpfasm DSL whose map references are by name: links it with the same linker as
/// objects' programs (<see cref="ProgramLinker"/>), binding each name to the fd of the map of that name, gives the
/// kernel the C# lines that emitted its instructions as line_info, encodes, and calls BPF_PROG_LOAD.
/// </summary>
public static class DslProgramLoader
{
    /// <summary>
    /// Loads <paramref name="program"/> under <paramref name="name"/> (truncated as the kernel keeps it),
    /// with every map reference bound to the map in <paramref name="maps"/> whose kernel name matches.
    /// A failed verification throws <see cref="BpfVerifierException"/> with the log, which shows above each
    /// instruction the file and line of the builder call that emitted it.
    /// </summary>
    public static ProgFd Load(DslProgram program, string name, IReadOnlyList<MapFd> maps,
        BpfAttachType? expectedAttachType = null, BpfProgType type = BpfProgType.Xdp,
        BpfProgFlags flags = BpfProgFlags.None, string license = "GPL")
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(maps);
        var linked = ProgramLinker.Link(LinkFunction.Of(name, program), reference =>
        {
            foreach (var map in maps)
                if (map.Name == reference.Name)
                    return map.Fd;
            throw new ArgumentException(
                $"instruction {reference.Slot} of {name} refers to map '{reference.Name}', which is not among the maps given " +
                $"({string.Join(", ", maps.Select(m => m.Name))}); create a map of that name or fix the name in the program.",
                nameof(maps));
        }, externs: null, message => new ArgumentException($"{name}: {message}", nameof(program)));
        var btf = DslProgramBtf.For(name, program, linked);
        // The fds written into the instructions must stay open until the kernel has taken its own references.
        var added = new bool[maps.Count];
        try
        {
            for (var i = 0; i < maps.Count; i++)
                maps[i].DangerousAddRef(ref added[i]);
            return Bpf.ProgLoad(type, linked.Encode(), license, expectedAttachType, flags,
                name: KernelObjectNames.ForKernel(name), btf: btf);
        }
        finally
        {
            for (var i = 0; i < maps.Count; i++)
                if (added[i])
                    maps[i].DangerousRelease();
            btf?.Btf.Dispose(); // the program holds the BTF now
        }
    }
}
