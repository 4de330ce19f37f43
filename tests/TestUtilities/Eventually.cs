using System.Diagnostics;

namespace CpuMap.Managed.Testing;

/// <summary>
/// Waits for asynchronous kernel work (a namespace torn down in cleanup_net, a link released
/// after its last fd closes, frames counted by a program) by polling the object itself until a
/// deadline. The deadline is generous on purpose: it only bounds a hang, it is not a guess of how
/// long the kernel takes, so a slow or loaded machine passes as long as the event happens.
/// </summary>
public static class Eventually
{
    /// <summary>The default bound: far above any teardown seen (milliseconds), far below a hung CI job.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Polls <paramref name="condition"/> every 10 ms until it holds; fails with
    /// <paramref name="what"/> (the event waited for) and the time waited when the deadline passes first.
    /// </summary>
    public static void True(Func<bool> condition, string what, TimeSpan? deadline = null)
    {
        var limit = deadline ?? Deadline;
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                // One last look, so that an event at the deadline is not reported as missing.
                Assert.True(condition(), $"waited {clock.Elapsed.TotalSeconds:F1} s (the deadline) for {what}, and it did not happen");
                return;
            }
            Thread.Sleep(10);
        }
    }
}
