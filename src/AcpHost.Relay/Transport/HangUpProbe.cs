using System.Runtime.InteropServices;

namespace AcpHost.Relay.Transport;

/// <summary>
/// Tells whether every writer of a pipe has closed it (<c>POLLHUP</c>), even while unread data is still in it. A reader
/// paused by backpressure (its consumer is stuck writing to an agent that stopped reading) reads no further and so
/// never sees the end of its input; the kernel knows the writer is gone all the same.
/// </summary>
public sealed class HangUpProbe
{
    private readonly SafeHandle _descriptor;

    private HangUpProbe(SafeHandle descriptor) => _descriptor = descriptor;

    /// <summary>A probe of <paramref name="descriptor"/>, or null where it cannot be asked (not Linux).</summary>
    public static HangUpProbe? For(SafeHandle descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return OperatingSystem.IsLinux() ? new HangUpProbe(descriptor) : null;
    }

    /// <summary>True when the other end has hung up; does not wait.</summary>
    public bool IsHungUp()
    {
        bool added = false;
        try
        {
            _descriptor.DangerousAddRef(ref added);
            return UnixPoll.Now((int)_descriptor.DangerousGetHandle(), 0, out short returned) > 0 && (returned & UnixPoll.HangUp) != 0;
        }
        catch (ObjectDisposedException)
        {
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
