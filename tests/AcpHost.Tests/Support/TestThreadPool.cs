using System.Runtime.CompilerServices;

namespace AcpHost.Tests.Support;

/// <summary>
/// Starts the test process with enough thread-pool threads for the tests that run side by side. Dozens of relays run
/// at once here, and several tests hold threads on purpose (an agent that stops reading, a blocked pipe write, a reader
/// that waits for a hang-up); the pool adds threads only about twice a second, so on a busy two-core machine a test
/// that passes alone could wait past its timeout for a thread to run its continuation. One host runs one relay and
/// needs none of this.
/// </summary>
internal static class TestThreadPool
{
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Test process set-up: the pool must be sized before any test starts.")]
    internal static void Initialize()
    {
        ThreadPool.GetMinThreads(out int workers, out int completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(completionPorts, 64));
    }
}
