using System.Diagnostics;

namespace CpuMap.Managed.Syscalls;

/// <summary>
/// Every bpf(2) and rtnetlink request this process makes, reported in order to whoever listens: for watching how an
/// object is really loaded (what the cpumap tool's load prints with its trace option). Listening is process-wide. Without a listener a request costs one
/// static field read more; with one, each request is decoded into a <see cref="KernelRequest"/> and passed on.
/// </summary>
/// <example>
/// <code>
/// using (KernelTrace.Listen(request => Console.Error.WriteLine(request)))
///     using var collection = BpfObjectSpec.Open("round_robin.o").Load();
/// </code>
/// </example>
public static class KernelTrace
{
    private static readonly Lock Gate = new();
    private static Action<KernelRequest>? _listeners;

    /// <summary>Whether anything listens (the fast path checks this before decoding anything).</summary>
    public static bool IsListening => Volatile.Read(ref _listeners) is not null;

    /// <summary>
    /// Calls <paramref name="listener"/> for every request until the returned handle is disposed, on the thread that
    /// made the request. An exception it throws is dropped, so that the request's result still reaches its caller.
    /// </summary>
    public static IDisposable Listen(Action<KernelRequest> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        lock (Gate)
            _listeners += listener;
        return new Subscription(listener);
    }

    internal static long Start() => Stopwatch.GetTimestamp();

    /// <remarks>
    /// A listener that throws is not let through: the request has happened, and its result (often a new fd) must reach
    /// the caller that owns it, or the fd would leak. A listener reports its own failures.
    /// </remarks>
    internal static void Report(string call, string command, string attributes, long result, int errno, long started)
    {
        if (Volatile.Read(ref _listeners) is not { } listeners)
            return;
        var request = new KernelRequest(call, command, attributes, result, result < 0 ? (Errno)errno : null, Stopwatch.GetElapsedTime(started));
        foreach (var listener in listeners.GetInvocationList())
        {
            try
            {
                ((Action<KernelRequest>)listener)(request);
            }
            catch (Exception)
            {
                // See the remarks: the caller's fd matters more than a listener's failure.
            }
        }
    }

    private sealed class Subscription(Action<KernelRequest> listener) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            lock (Gate)
            {
                if (_disposed)
                    return;
                _listeners -= listener;
                _disposed = true;
            }
        }
    }
}
