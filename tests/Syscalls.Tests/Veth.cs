namespace CpuMap.Managed.Syscalls.Tests;

/// <summary>A veth pair in the test's own name space of names, deleted after the test.</summary>
internal sealed class Veth : IDisposable
{
    public Veth()
    {
        Name = $"cmt{Environment.ProcessId % 100000}{Interlocked.Increment(ref _next)}";
        Shell.Run("ip", "link", "add", Name, "type", "veth", "peer", "name", Name + "p");
        Shell.Run("ip", "link", "set", Name, "up");
        Ifindex = int.Parse(File.ReadAllText($"/sys/class/net/{Name}/ifindex"));
    }

    private static int _next;

    public string Name { get; }

    public int Ifindex { get; }

    public void Dispose() => Shell.Run("ip", "link", "del", Name);
}
