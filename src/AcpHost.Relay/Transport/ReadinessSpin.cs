using System.Diagnostics;
using System.Runtime.InteropServices;

namespace AcpHost.Relay.Transport;

/// <summary>
/// A short, bounded wait for a descriptor to become readable without going to sleep: it polls the descriptor and
/// yields the CPU in turns for up to a set time, after which the reader blocks in <c>read()</c> as before.
/// </summary>
/// <remarks>
/// <para>
/// Why: a reader blocked in <c>read()</c> leaves its CPU with nothing to run, and on the small virtual machines this
/// host is measured on (Firecracker, <c>cpuidle haltpoll</c> with guest polling off) an idle virtual CPU halts. Waking
/// it again is a trip through the hypervisor, and a relay adds two such wake-ups to every round trip. Most answers
/// follow their request within a few tens of microseconds, so a thread that keeps its CPU awake that long is woken
/// by the data itself: side by side in the relay benchmark's ping lane it cut the latency the host adds to about a
/// third at p50 and about half at p99. It only shows on an idle machine: with other builds keeping both CPUs busy no CPU
/// halts, and with and without it are within noise; kept for the idle case, which is the user's (the figures:
/// bench/HISTORY.md).
/// </para>
/// <para>
/// Why it is cheap: <c>sched_yield</c> between polls hands the CPU to any other runnable thread first (the agent, the
/// editor, the other direction of the relay), so the wait only takes time nobody else wanted. It is bounded: at most
/// <see cref="Limit"/> per read, which during a streamed turn (one read per few milliseconds) is well under 1 % of a
/// core, and during a flood nothing at all because the next bytes are already there. Set to zero it is off.
/// </para>
/// <para>
/// Linux only: that is where it was measured, and where <c>poll</c> is known to be in <c>libc</c>. Elsewhere
/// <see cref="For(SafeHandle, TimeSpan)"/> returns null and the reader blocks at once.
/// </para>
/// </remarks>
public sealed class ReadinessSpin
{
    private readonly SafeHandle _descriptor;
    private readonly long _limitTicks;

    private ReadinessSpin(SafeHandle descriptor, TimeSpan limit)
    {
        _descriptor = descriptor;
        Limit = limit;
        _limitTicks = (long)(limit.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>The longest a single wait spins before the reader blocks.</summary>
    public TimeSpan Limit { get; }

    /// <summary>A spin on <paramref name="descriptor"/>, or null when <paramref name="limit"/> is zero or the platform is not Linux.</summary>
    public static ReadinessSpin? For(SafeHandle descriptor, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, TimeSpan.Zero);
        return limit > TimeSpan.Zero && OperatingSystem.IsLinux() ? new ReadinessSpin(descriptor, limit) : null;
    }

    /// <summary>As <see cref="For(SafeHandle, TimeSpan)"/> for the descriptor under a pipe stream (a child's stdio); null for any other stream.</summary>
    public static ReadinessSpin? For(Stream stream, TimeSpan limit) =>
        stream is System.IO.Pipes.PipeStream pipe ? For(pipe.SafePipeHandle, limit) : null;

    /// <summary>
    /// Returns once the descriptor is readable (or at end of input, or in error: the read that follows says which),
    /// or once <see cref="Limit"/> has passed; true in the first case.
    /// </summary>
    public bool Wait()
    {
        bool added = false;
        try
        {
            // A descriptor closed under us must not be polled by number: by then it may be someone else's.
            _descriptor.DangerousAddRef(ref added);
            int descriptor = (int)_descriptor.DangerousGetHandle();
            long deadline = Stopwatch.GetTimestamp() + _limitTicks;
            while (true)
            {
                if (UnixPoll.Now(descriptor, UnixPoll.In, out _) != 0)
                {
                    // Ready, or poll itself failed (EINTR, ENOMEM): either way the blocking read decides.
                    return true;
                }

                if (Stopwatch.GetTimestamp() >= deadline)
                {
                    return false;
                }

                Thread.Yield();
            }
        }
        catch (ObjectDisposedException)
        {
            // Closed before the wait began: the read that follows reports it.
            return true;
        }
        finally
        {
            if (added)
            {
                _descriptor.DangerousRelease();
            }
        }
    }
}
