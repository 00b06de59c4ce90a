using AcpHost.Relay.Protocol;

namespace AcpHost.Tests.Protocol.Differential;

/// <summary>Which rule a line broke; one per distinct error the classifier words.</summary>
internal enum ErrorClass
{
    None,
    NotUtf8,
    NotJson,
    Empty,
    LoneSurrogate,
    Batch,
    NotObject,
    Version,
    IdType,
    IdInexact,
    MethodType,
    NullRequestId,
    NoShape,
    Unknown,
}

/// <summary>
/// What the relay acts on for one line: the kind, the method, the id and where its value lies (the relay rewrites it
/// there), whether a response carries an error, and for an invalid line which rule it broke, the id the error answer
/// names and whether it looked like a response. For a parse error only the rule is compared: the id recovered from
/// before the fault depends on where the reader stopped (bad-input.md C2), which JSON.parse has no notion of.
/// </summary>
internal readonly record struct Verdict(
    MessageKind Kind,
    string? Method,
    RequestId? Id,
    long IdStart,
    long IdLength,
    bool IsErrorResponse,
    ErrorClass Error,
    bool LooksLikeResponse)
{
    public bool IsParseError => Error is ErrorClass.NotUtf8 or ErrorClass.NotJson or ErrorClass.Empty or ErrorClass.LoneSurrogate;

    public static Verdict Parse(ErrorClass error) => new(MessageKind.Invalid, null, null, -1, 0, false, error, false);

    /// <summary>The classifier's answer, reduced to what is compared.</summary>
    public static Verdict Of(MessageInfo info)
    {
        if (info.Kind != MessageKind.Invalid)
        {
            bool hasId = info.Kind is MessageKind.Request or MessageKind.Response;
            return new Verdict(info.Kind, info.Method, info.Id, hasId ? info.IdStart : -1, hasId ? info.IdLength : 0, info.IsErrorResponse, ErrorClass.None, false);
        }

        ErrorClass error = ClassOf(info.Error);
        var verdict = new Verdict(MessageKind.Invalid, info.Method, info.Id, -1, 0, false, error, info.LooksLikeResponse);
        return verdict.IsParseError ? Parse(error) : verdict;
    }

    /// <summary>The rule, told by the code and the wording the relay sends (protocol/bad-input.md, rows C1–C13, C25).</summary>
    private static ErrorClass ClassOf(MessageError error)
    {
        (string prefix, int code, ErrorClass rule)[] rules =
        [
            ("Parse error: the line is not valid UTF-8", JsonRpcErrorCodes.ParseError, ErrorClass.NotUtf8),
            ("Parse error: empty message", JsonRpcErrorCodes.ParseError, ErrorClass.Empty),
            ("Parse error: a string escapes half of a surrogate pair", JsonRpcErrorCodes.ParseError, ErrorClass.LoneSurrogate),
            ("Parse error: not valid JSON", JsonRpcErrorCodes.ParseError, ErrorClass.NotJson),
            ("Batch requests are not supported", JsonRpcErrorCodes.InvalidRequest, ErrorClass.Batch),
            ("A JSON-RPC message must be a JSON object", JsonRpcErrorCodes.InvalidRequest, ErrorClass.NotObject),
            ("Invalid request: \"jsonrpc\" must be \"2.0\"", JsonRpcErrorCodes.InvalidRequest, ErrorClass.Version),
            ("Invalid request: \"id\" must be a string or an integer", JsonRpcErrorCodes.InvalidRequest, ErrorClass.IdType),
            ("Invalid request: an integer \"id\" must lie within", JsonRpcErrorCodes.InvalidRequest, ErrorClass.IdInexact),
            ("Invalid request: \"method\" must be a string", JsonRpcErrorCodes.InvalidRequest, ErrorClass.MethodType),
            ("Invalid request: a request id must not be null", JsonRpcErrorCodes.InvalidRequest, ErrorClass.NullRequestId),
            ("Invalid request: neither a request, a notification nor a response", JsonRpcErrorCodes.InvalidRequest, ErrorClass.NoShape),
        ];
        foreach ((string prefix, int code, ErrorClass rule) in rules)
        {
            if (error.Message.StartsWith(prefix, StringComparison.Ordinal))
            {
                return error.Code == code ? rule : ErrorClass.Unknown;
            }
        }

        return ErrorClass.Unknown;
    }

    public override string ToString() =>
        Kind == MessageKind.Invalid
            ? $"Invalid({Error}{(IsParseError ? "" : $", id {Id?.ToString() ?? "null"}, method {Method ?? "null"}, looksLikeResponse {LooksLikeResponse}")})"
            : $"{Kind}(method {Method ?? "null"}, id {Id?.ToString() ?? "null"} at [{IdStart}, +{IdLength}), errorResponse {IsErrorResponse})";
}
