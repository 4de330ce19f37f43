namespace CpuMap.Managed.Bench.Harness;

/// <summary>
/// A benchmark class whose C and managed twins can be shown to do the same work: from the same
/// prepared state, each method must leave the same map contents and read the same bytes.
/// </summary>
internal interface ITwinObservable
{
    /// <summary>
    /// Puts the class in a state that <paramref name="method"/> visibly changes: the map entries it
    /// writes or deletes hold something else, and the buffers it reads into are cleared.
    /// </summary>
    void Prepare(string method);

    /// <summary>What <paramref name="method"/> left: the map's contents and the bytes it read, as text.</summary>
    string Observe(string method);
}
