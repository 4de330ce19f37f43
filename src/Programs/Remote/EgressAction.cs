namespace CpuMap.Managed.Programs.Remote;

/// <summary>
/// The program a DEVMAP entry runs on each frame as it leaves the device of <see cref="RemoteAction.Redirect"/>
/// (BPF_XDP_DEVMAP): <see cref="Pass"/> (this project's: count, then send) or <see cref="UserProgram"/> (a SEC("xdp/devmap")
/// program from the user's object). A closed set: these two are all there are; no egress program is null.
/// </summary>
public abstract record EgressAction
{
    private EgressAction() { }

    /// <summary>Count each frame in <see cref="RemoteDeviceRedirect.EgressPacketsMap"/>, then send it.</summary>
    public static Count Pass { get; } = new();

    /// <summary>This project's egress program: count each frame, then send it.</summary>
    public sealed record Count : EgressAction
    {
        internal Count() { }

        /// <summary>"pass".</summary>
        public override string ToString() => "pass";
    }

    /// <summary>The user's own egress program, in SEC("xdp/devmap"); it counts nothing of this project's.</summary>
    public sealed record UserProgram(ObjectProgram Program) : EgressAction
    {
        /// <summary>The object file and the program's name.</summary>
        public ObjectProgram Program { get; } = Program ?? throw new ArgumentNullException(nameof(Program));

        /// <summary><c>PATH:NAME</c>.</summary>
        public override string ToString() => Program.ToString();
    }
}
