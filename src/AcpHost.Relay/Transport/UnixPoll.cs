using System.Runtime.InteropServices;

namespace AcpHost.Relay.Transport;

/// <summary>
/// <c>poll(2)</c> on one descriptor without waiting: what <see cref="ReadinessSpin"/> (is there data?) and
/// <see cref="HangUpProbe"/> (has the writer gone?) both ask the kernel.
/// </summary>
internal static partial class UnixPoll
{
    /// <summary><c>POLLIN</c>: data to read.</summary>
    public const short In = 0x0001;

    /// <summary><c>POLLHUP</c>: every writer closed its end.</summary>
    public const short HangUp = 0x0010;

    /// <summary>
    /// Polls <paramref name="descriptor"/> for <paramref name="events"/> with a zero timeout. Returns what
    /// <c>poll</c> returns (1 when an event is there, 0 when none, -1 on failure); <paramref name="returned"/> holds the
    /// events the kernel reported (<c>POLLHUP</c> whether asked for or not).
    /// </summary>
    public static int Now(int descriptor, short events, out short returned)
    {
        var poll = new PollDescriptor { Descriptor = descriptor, Events = events };
        int result = Poll(ref poll, 1, 0);
        returned = poll.ReturnedEvents;
        return result;
    }

    // struct pollfd { int fd; short events; short revents; }
    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = false)]
    private static partial int Poll(ref PollDescriptor descriptors, nuint count, int timeoutMilliseconds);
}
