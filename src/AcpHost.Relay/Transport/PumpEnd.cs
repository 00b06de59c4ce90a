namespace AcpHost.Relay.Transport;

/// <summary>Why a <see cref="LinePump"/> stopped.</summary>
public enum PumpEnd : byte
{
    /// <summary>Its input reached end of stream (or broke).</summary>
    InputEnded,

    /// <summary>Its handler asked it to stop: the peer its lines go to is gone.</summary>
    OutputGone,
}
