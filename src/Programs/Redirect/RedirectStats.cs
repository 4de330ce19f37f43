using BpfAsm;
using CpuMap.Managed.Syscalls.Maps;
using CpuMap.Managed.Syscalls;
using System.Runtime.InteropServices;
using static BpfAsm.Register;

namespace CpuMap.Managed.Programs.Redirect;

/// <summary>
/// The redirect programs' counters: a PERCPU_ARRAY of one entry whose value is
/// <c>struct { __u64 received, redirected, errors, non_ip, dropped; }</c>. Each CPU that runs the program
/// writes only its own copy with plain adds (no atomics: a CPU runs one XDP program at a time), and
/// user space reads all copies at once. <see cref="EmitLookup"/> and <see cref="EmitCountAndExit"/>
/// are the program side, shared by every redirect program.
/// </summary>
public static class RedirectStats
{
    /// <summary>The map's name, as programs reference it and bpftool shows it.</summary>
    public const string MapName = "redirect_stats";

    /// <summary>Offsets of the counters in the value.</summary>
    internal const short ReceivedOffset = 0, RedirectedOffset = 8, ErrorsOffset = 16, NonIpOffset = 24, DroppedOffset = 32;

    private const uint ValueSize = 40;

    /// <summary>Creates the map (one entry, zeroed).</summary>
    internal static MapFd Create() => Bpf.MapCreate(BpfMapType.PercpuArray, sizeof(uint), ValueSize, 1, name: MapName);

    /// <summary>
    /// Reads <paramref name="map"/> (a map made by a redirect program of this project), indexed by CPU
    /// number: <c>counters[cpu]</c> is what that CPU counted; numbers that are not possible CPUs read 0.
    /// </summary>
    public static PerCpuValues<RedirectCounters> Read(MapFd map)
    {
        Check(map);
        // Five u64 per CPU, in RedirectCounters' order: received, redirected, errors, non_ip, dropped.
        return PerCpuArray<RedirectCounters>.Open(map).Get(Key);
    }

    /// <summary>Sets every CPU's counters to 0.</summary>
    public static void Clear(MapFd map)
    {
        Check(map);
        PerCpuArray<RedirectCounters>.Open(map).Clear(Key);
    }

    private static void Check(MapFd map)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (map.Type != BpfMapType.PercpuArray || map.ValueSize != ValueSize || map.KeySize != sizeof(uint))
            throw new ArgumentException(
                $"{map} is not a redirect statistics map: it is a {map.Type} with key size {map.KeySize} and value size {map.ValueSize}, " +
                $"where '{MapName}' is a PercpuArray with 4-byte keys and {ValueSize}-byte values. Pass the Stats map of a redirect of this project (RoundRobinRedirect, FlowHashRedirect, ModeRedirect).",
                nameof(map));
    }

    private static readonly uint Key = 0;

    /// <summary>
    /// Emits <c>stats = bpf_map_lookup_elem(&amp;redirect_stats, &amp;key); if (!stats) return XDP_ABORTED;</c>
    /// with the pointer left in r9 for the rest of the program. Uses the stack slot at r10 - 4 and
    /// clobbers r0-r5. The lookup of key 0 in a one-entry array cannot fail; the check is for the verifier.
    /// </summary>
    internal static void EmitLookup(ProgramBuilder p)
    {
        p.Store(Mem.U32(R10, -4), 0);
        p.Mov(R2, R10).Add(R2, -4);
        p.LoadMapFd(R1, MapName);
        p.Call(BpfHelper.MapLookupElem);
        p.JumpIf(R0 != 0, "have_stats");
        p.Exit();                                       // r0 is 0 = XDP_ABORTED
        p.Label("have_stats");
        p.Mov(R9, R0);
    }

    /// <summary>Emits <c>stats->non_ip += 1;</c> (r9 from <see cref="EmitLookup"/>; clobbers r1).</summary>
    internal static void EmitCountNonIp(ProgramBuilder p) => EmitIncrement(p, NonIpOffset);

    /// <summary>
    /// Emits the program's end: with the XDP action in r0, <c>received += 1</c>, then
    /// <c>redirected += 1</c> for XDP_REDIRECT, <c>dropped += 1</c> for XDP_DROP (a mode that filters) or
    /// <c>errors += 1</c> for anything else, and exit with r0.
    /// </summary>
    internal static void EmitCountAndExit(ProgramBuilder p, bool countDrops = false)
    {
        EmitIncrement(p, ReceivedOffset);
        p.JumpIf(R0 != (int)XdpAction.Redirect, "count_error");
        EmitIncrement(p, RedirectedOffset);
        p.Exit();
        p.Label("count_error");
        if (countDrops)
        {
            // Only modes that drop on purpose pay for the test; the others never return XDP_DROP.
            p.JumpIf(R0 != (int)XdpAction.Drop, "count_abort");
            EmitIncrement(p, DroppedOffset);
            p.Exit();
            p.Label("count_abort");
        }
        EmitIncrement(p, ErrorsOffset);
        p.Exit();
    }

    private static void EmitIncrement(ProgramBuilder p, short offset)
    {
        p.Load(R1, Mem.U64(R9, offset));
        p.Add(R1, 1);
        p.Store(Mem.U64(R9, offset), R1);
    }
}
