using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using CpuMap.Managed.Syscalls.Netlink;
using CpuMap.Managed.Syscalls.Xdp;

namespace CpuMap.Managed.Syscalls.Tests;

/// <summary>
/// A second process that makes something the kernel must clean up when it dies, then waits to
/// be killed: "link NS IFINDEX" attaches an XDP program through a BPF link to a device in the
/// named namespace; "veth NAME" makes an anonymous namespace holding the peer of veth NAME.
/// .NET has no fork, so the test binary itself is started again with <see cref="Variable"/>
/// set, and this module initializer takes over before xunit's Main.
/// </summary>
internal static class XdpHolderProcess
{
    public const string Variable = "CPUMAP_TEST_HOLDER";

#pragma warning disable CA2255 // a test binary's own entry hook, not a library's
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RunIfAsked()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { } request)
            return;
        try
        {
            var parts = request.Split(' ');
            if (parts[0] == "link")
            {
                using var ns = NetworkNamespace.Open(parts[1]);
                using var prog = TestPrograms.LoadXdp();
                var attachment = XdpAttachment.Attach(int.Parse(parts[2]), prog, XdpMode.Skb, XdpAttachMethod.Link, ns);
                Report(attachment.ProgId);
            }
            else
            {
                using var ns = NetworkNamespace.CreateAnonymous();
                using var rtnl = RtNetlink.Open();
                Report((uint)rtnl.NewVeth(parts[1], parts[1] + "p", ns));
            }
        }
        catch (Exception e)
        {
            Console.Out.WriteLine($"failed {e}");
            Console.Out.Flush();
            Environment.Exit(1);
        }
    }

    private static void Report(uint id)
    {
        Console.Out.WriteLine($"ready {id}");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>Starts a holder of an XDP link on <paramref name="ifindex"/> in the named namespace; returns it with the program id once attached.</summary>
    public static (Process Process, uint ProgId) StartLink(string namespaceName, int ifindex) => Start($"link {namespaceName} {ifindex}");

    /// <summary>Starts a holder of an anonymous namespace with the peer of veth <paramref name="name"/>; returns it with the ifindex of <paramref name="name"/>.</summary>
    public static (Process Process, uint Ifindex) StartVeth(string name) => Start($"veth {name}");

    private static (Process Process, uint Id) Start(string request)
    {
        var host = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            psi.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        psi.Environment[Variable] = request;
        var process = Process.Start(psi)!;
        var line = process.StandardOutput.ReadLine();
        if (line is null || !line.StartsWith("ready ", StringComparison.Ordinal))
        {
            process.Kill();
            process.WaitForExit();
            Assert.Fail($"The holder process ({request}) failed: {line}{process.StandardOutput.ReadToEnd()}");
        }
        return (process, uint.Parse(line["ready ".Length..]));
    }
}
