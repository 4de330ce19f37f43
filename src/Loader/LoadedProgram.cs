using CpuMap.Managed.Elf;
using CpuMap.Managed.Syscalls;

namespace CpuMap.Managed.Loader;

/// <summary>A program the loader loaded: the object's program, how its section was read, and its fd.</summary>
public sealed class LoadedProgram
{
    internal LoadedProgram(BpfProgram program, string kernelName, ProgramSection section, ProgFd fd, int instructionCount)
    {
        Program = program;
        KernelName = kernelName;
        Section = section;
        Fd = fd;
        InstructionCount = instructionCount;
    }

    /// <summary>The program's function name in the object.</summary>
    public string Name => Program.Name;

    /// <summary>The name the kernel (and bpftool) knows it by: <see cref="Name"/> cut to 15 characters.</summary>
    public string KernelName { get; }

    /// <summary>The program as the object holds it.</summary>
    public BpfProgram Program { get; }

    /// <summary>Program type, expected attach type and flags, from the section name.</summary>
    public ProgramSection Section { get; }

    /// <summary>The program fd, owned by the collection.</summary>
    public ProgFd Fd { get; }

    /// <summary>The program's kernel id.</summary>
    public uint Id => Fd.Id;

    /// <summary>Instruction slots given to the kernel: the program and the subprograms linked in.</summary>
    public int InstructionCount { get; }

    /// <summary>Where the program is pinned, or null.</summary>
    public string? PinPath { get; internal set; }

    /// <inheritdoc/>
    public override string ToString() => $"{Fd} '{Name}' from section '{Section.Prefix}'";
}
