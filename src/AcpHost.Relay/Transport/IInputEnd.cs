namespace AcpHost.Relay.Transport;

/// <summary>An input that tells when its source ended, whether or not its reader has read that far yet.</summary>
public interface IInputEnd
{
    /// <summary>Completes when the source has ended (end of stream, or an error that ends it).</summary>
    Task Ended { get; }
}
