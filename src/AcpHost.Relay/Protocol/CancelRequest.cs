namespace AcpHost.Relay.Protocol;

/// <summary>The <c>$/cancel_request</c> notification, which names a request by id and so must follow id aliasing.</summary>
public static class CancelRequest
{
    /// <summary>The method name.</summary>
    public const string Method = "$/cancel_request";
}
