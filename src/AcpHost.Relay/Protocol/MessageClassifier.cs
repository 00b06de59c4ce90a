using System.Text.Json;
using System.Text.Unicode;

namespace AcpHost.Relay.Protocol;

/// <summary>
/// Classifies a line with one pass over its top level: <c>jsonrpc</c>, <c>id</c> and <c>method</c> are read,
/// everything else is skipped. Skipping still walks every token, so a line that passes is well-formed JSON and valid
/// UTF-8 throughout; nothing beyond the top level is decoded. A streamed text chunk of the ACP SDK's exact shape is
/// settled by a template (<c>MessageClassifier.TextChunk.cs</c>); every other line, and every error, goes to one
/// <see cref="Utf8JsonReader"/> pass, which also words the errors.
/// </summary>
public static partial class MessageClassifier
{
    private static readonly JsonReaderOptions ReaderOptions = JsonDepth.Reader;

    /// <summary>Classifies one line, without its line ending.</summary>
    public static MessageInfo Classify(ReadOnlySpan<byte> line) => Classify(line, chunk: null);

    /// <summary>
    /// Classifies one line, without its line ending, trying <paramref name="chunk"/> first: the shape a peer sends
    /// most, settled by comparing bytes (<c>MessageClassifier.Template.cs</c>).
    /// </summary>
    public static MessageInfo Classify(ReadOnlySpan<byte> line, LineTemplate? chunk)
    {
        // The reader does not check UTF-8 inside strings it only skips, and RFC 8259 text must be UTF-8:
        // one vectorised pass settles it before anything is forwarded.
        if (!Utf8.IsValid(line))
        {
            return Invalid(JsonRpcErrorCodes.ParseError, "Parse error: the line is not valid UTF-8", default);
        }

        if (chunk is not null && IsTemplateLine(line, chunk))
        {
            return chunk.Info;
        }

        // No scanner of its own for other lines: a hand-written one for the plain shape was tried and bought nothing
        // measurable in scripts/bench.sh (bench/HISTORY.md, "what each micro-optimisation buys").
        var reader = new Utf8JsonReader(line, ReaderOptions);
        return Classify(ref reader);
    }

    private static MessageInfo Classify(ref Utf8JsonReader reader)
    {
        var scan = new TopLevel();
        try
        {
            if (!reader.Read())
            {
                return Invalid(JsonRpcErrorCodes.ParseError, "Parse error: empty message", scan);
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                string reason = reader.TokenType == JsonTokenType.StartArray
                    ? "Batch requests are not supported: send one JSON-RPC object per line"
                    : "A JSON-RPC message must be a JSON object";
                reader.Skip();
                reader.Read(); // throws on trailing content, so garbage after the value is a parse error
                return Invalid(JsonRpcErrorCodes.InvalidRequest, reason, scan);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                ReadMember(ref reader, ref scan);
            }

            // One value per line: anything after the closing brace makes the reader throw here.
            reader.Read();
        }
        catch (JsonException ex)
        {
            // The reader's own message names internal token states; the position is what helps a person.
            string where = ex.BytePositionInLine is { } position ? $" at byte {position}" : "";
            return Invalid(JsonRpcErrorCodes.ParseError, $"Parse error: not valid JSON{where}", scan);
        }
        catch (InvalidOperationException)
        {
            // GetString refuses an id or method whose \u escapes leave half a surrogate pair: no string can hold it,
            // and letting the exception out would end the pump that read the line.
            return Invalid(JsonRpcErrorCodes.ParseError, "Parse error: a string escapes half of a surrogate pair", scan);
        }

        return Decide(scan);
    }

    private static void ReadMember(ref Utf8JsonReader reader, ref TopLevel scan)
    {
        if (reader.ValueTextEquals("jsonrpc"u8))
        {
            reader.Read();
            scan.Version = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("2.0"u8) ? VersionState.Valid : VersionState.Wrong;

            // A container is skipped whole, or the pass would go on inside it: `"jsonrpc":["2.0","method":"x"}`
            // would read as a wrong version instead of the parse error it is.
            reader.Skip();
            return;
        }

        if (reader.ValueTextEquals("id"u8))
        {
            reader.Read();
            ReadId(ref reader, ref scan);
            return;
        }

        if (reader.ValueTextEquals("method"u8))
        {
            reader.Read();
            // A later duplicate replaces an earlier one, as in JSON.parse.
            scan.MethodWrongType = false;
            if (reader.TokenType == JsonTokenType.String)
            {
                // A string per message, not a table of names: the table (removed 2026-11-26) bought nothing
                // measurable in scripts/bench.sh, and text chunks, the one stream of thousands, never come here.
                scan.Method = reader.GetString();
            }
            else
            {
                scan.Method = null;
                scan.MethodWrongType = true;
                reader.Skip();
            }

            return;
        }

        if (reader.ValueTextEquals("result"u8))
        {
            scan.HasResult = true;
        }
        else if (reader.ValueTextEquals("error"u8))
        {
            scan.HasError = true;
        }

        reader.Read();
        reader.Skip();
    }

    private static void ReadId(ref Utf8JsonReader reader, ref TopLevel scan)
    {
        scan.StartId(reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                scan.Id = new RequestId(reader.GetString()!);
                break;
            case JsonTokenType.Number when reader.TryGetInt64(out long number):
                scan.SetNumberId(number);
                break;
            case JsonTokenType.Null:
                scan.IdNull = true;
                break;
            default:
                scan.IdWrongType = true;
                reader.Skip();
                break;
        }

        scan.IdLength = reader.BytesConsumed - scan.IdStart;
    }

    private static MessageInfo Decide(in TopLevel scan)
    {
        if (scan.Version != VersionState.Valid)
        {
            return Invalid(JsonRpcErrorCodes.InvalidRequest, "Invalid request: \"jsonrpc\" must be \"2.0\"", scan);
        }

        if (scan.IdWrongType)
        {
            return Invalid(JsonRpcErrorCodes.InvalidRequest, "Invalid request: \"id\" must be a string or an integer", scan);
        }

        if (scan.IdInexact)
        {
            return Invalid(JsonRpcErrorCodes.InvalidRequest, InexactIdMessage, scan);
        }

        if (scan.MethodWrongType)
        {
            return Invalid(JsonRpcErrorCodes.InvalidRequest, "Invalid request: \"method\" must be a string", scan);
        }

        if (scan.Method is not null)
        {
            if (!scan.IdPresent)
            {
                return new MessageInfo(MessageKind.Notification, scan.Method, null, -1, 0, false, default);
            }

            if (scan.IdNull)
            {
                return Invalid(JsonRpcErrorCodes.InvalidRequest, "Invalid request: a request id must not be null", scan);
            }

            return new MessageInfo(MessageKind.Request, scan.Method, scan.Id, scan.IdStart, scan.IdLength, false, default);
        }

        if (scan.IdPresent && (scan.HasResult ^ scan.HasError))
        {
            return new MessageInfo(MessageKind.Response, null, scan.Id, scan.IdStart, scan.IdLength, scan.HasError, default);
        }

        return Invalid(JsonRpcErrorCodes.InvalidRequest, "Invalid request: neither a request, a notification nor a response", scan);
    }

    /// <summary>
    /// The agent reads every JSON number as a double: an integer id beyond 2^53 − 1 would come back as another number
    /// (2^53 + 1 echoes as 2^53), so its answer would be lost or reach another request. Refused up front instead.
    /// </summary>
    private const long MaxExactId = (1L << 53) - 1;

    private const string InexactIdMessage = "Invalid request: an integer \"id\" must lie within ±(2^53 − 1); the agent reads numbers as doubles and would not echo a larger one exactly";

    private static MessageInfo Invalid(int code, string message, in TopLevel scan) =>
        new(MessageKind.Invalid, scan.Method, scan.Id, scan.Id is null ? -1 : scan.IdStart, scan.IdLength, false, new MessageError(code, message),
            looksLikeResponse: scan.Method is null && (scan.HasResult || scan.HasError));

    private enum VersionState : byte
    {
        Missing,
        Valid,
        Wrong,
    }

    /// <summary>What the pass has seen so far; mutable on purpose, it lives on the stack of one call.</summary>
    private struct TopLevel
    {
        public VersionState Version;
        public string? Method;
        public bool MethodWrongType;
        public RequestId? Id;
        public bool IdPresent;
        public bool IdNull;
        public bool IdWrongType;
        public long IdStart;
        public long IdLength;
        public bool IdInexact;
        public bool HasResult;
        public bool HasError;

        /// <summary>Begins reading an id: a later duplicate replaces everything an earlier one set, as in JSON.parse.</summary>
        public void StartId(long start)
        {
            Id = null;
            IdPresent = true;
            IdNull = false;
            IdWrongType = false;
            IdInexact = false;
            IdStart = start;
        }

        public void SetNumberId(long number)
        {
            Id = new RequestId(number);
            IdInexact = number is > MaxExactId or < -MaxExactId;
        }
    }
}
