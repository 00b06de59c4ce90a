namespace AcpHost.Relay.Protocol;

/// <summary>
/// What one pass over a line's top level found: enough to route it and to rewrite its id in place,
/// without decoding anything else.
/// </summary>
public readonly struct MessageInfo
{
    internal MessageInfo(MessageKind kind, string? method, RequestId? id, long idStart, long idLength, bool isError, MessageError error, bool looksLikeResponse = false, bool isChunk = false)
    {
        IsChunk = isChunk;
        LooksLikeResponse = looksLikeResponse;
        Kind = kind;
        Method = method;
        Id = id;
        IdStart = idStart;
        IdLength = idLength;
        IsErrorResponse = isError;
        Error = error;
    }

    /// <summary>Request, notification, response or invalid.</summary>
    public MessageKind Kind { get; }

    /// <summary>The method of a request or notification; null otherwise.</summary>
    public string? Method { get; }

    /// <summary>
    /// The id of a request or response. For an invalid message, the id if it could be recovered,
    /// so the error reply can name it. Null for notifications and for responses with <c>"id": null</c>.
    /// </summary>
    public RequestId? Id { get; }

    /// <summary>Offset of the id's JSON value within the line, or -1.</summary>
    public long IdStart { get; }

    /// <summary>Length in bytes of the id's JSON value within the line.</summary>
    public long IdLength { get; }

    /// <summary>True for a response that carries <c>error</c> rather than <c>result</c>.</summary>
    public bool IsErrorResponse { get; }

    /// <summary>Why the message is invalid; default when it is valid.</summary>
    public MessageError Error { get; }

    /// <summary>
    /// For an invalid message: it had <c>result</c> or <c>error</c> and no <c>method</c> before the fault, so it was
    /// probably meant as a response (to <see cref="Id"/>, if that was read).
    /// </summary>
    public bool LooksLikeResponse { get; }

    /// <summary>
    /// A line of the <see cref="LineTemplate"/> the classifier was given (for ACP, a streamed chunk of text): the bulk
    /// of every turn, which interceptors can decline without a look (the relay lets an interceptor say it wants none).
    /// </summary>
    public bool IsChunk { get; }

    /// <summary>True for requests and notifications.</summary>
    public bool HasMethod => Method is not null;
}
