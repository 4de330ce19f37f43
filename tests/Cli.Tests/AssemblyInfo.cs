// The tests count the process's fds, namespaces and per-CPU deliveries: two at once would see each
// other's, so they run one after another.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]
