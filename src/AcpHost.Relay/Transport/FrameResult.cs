namespace AcpHost.Relay.Transport;

/// <summary>What <see cref="LineFramer.TryRead"/> found in the buffer.</summary>
public enum FrameResult : byte
{
    /// <summary>No complete line yet: advance and read more.</summary>
    NeedMore,

    /// <summary>A complete, non-blank line.</summary>
    Line,

    /// <summary>A line longer than the limit began; its bytes are being dropped up to its end.</summary>
    Oversized,
}
