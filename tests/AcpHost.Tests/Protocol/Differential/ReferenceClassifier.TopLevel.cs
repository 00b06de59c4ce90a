using System.Text.Json;
using AcpHost.Relay.Protocol;

namespace AcpHost.Tests.Protocol.Differential;

/// <summary>The top level of a well-formed object as JSON.parse reads it, and the target of a cancel request.</summary>
internal static partial class ReferenceClassifier
{
    /// <summary>
    /// <c>params.requestId</c> of a cancel request as JSON.parse reads it: the last <c>params</c>, if an object, and in
    /// it the last <c>requestId</c>, if a string or an integer id (C23); null otherwise, and for a lone surrogate (C28:
    /// such a request names nothing the host could have sent, so it passes as it came).
    /// </summary>
    public static (RequestId Id, long Start, long Length)? CancelTarget(byte[] line)
    {
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 4 * MaxDepth });
        reader.Read();
        (RequestId, long, long)? target = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isParams = JsString(ref reader) == "params";
            reader.Read();
            if (!isParams)
            {
                reader.Skip();
                continue;
            }

            target = null;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isRequestId = JsString(ref reader) == "requestId";
                reader.Read();
                if (isRequestId)
                {
                    long start = reader.TokenStartIndex;
                    RequestId? id = IdOf(ref reader, out bool lone, out _);
                    reader.Skip();
                    target = id is { } value && !lone ? (value, start, reader.BytesConsumed - start) : null;
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return target;
    }

    private sealed class TopLevel
    {
        public string? Version;
        public string? Method;
        public bool MethodWrongType;
        public RequestId? Id;
        public bool IdPresent;
        public bool IdNull;
        public bool IdWrongType;
        public bool IdInexact;
        public long IdStart = -1;
        public long IdLength;
        public bool HasResult;
        public bool HasError;
        public bool LoneSurrogate;

        public static TopLevel Read(byte[] line)
        {
            var top = new TopLevel();
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 4 * MaxDepth });
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string key = JsString(ref reader);
                reader.Read();
                switch (key)
                {
                    case "jsonrpc":
                        top.Version = reader.TokenType == JsonTokenType.String ? JsString(ref reader) : null;
                        break;
                    case "id":
                        top.ReadId(ref reader);
                        break;
                    case "method" when reader.TokenType == JsonTokenType.String:
                        top.Method = JsString(ref reader);
                        top.MethodWrongType = false;

                        // C34: an id or method with half a surrogate pair is refused wherever it stands, even where a
                        // later duplicate would replace it: no .NET string holds it, so the host could not echo it.
                        top.LoneSurrogate |= HasLoneSurrogate(top.Method);
                        break;
                    case "method":
                        top.Method = null;
                        top.MethodWrongType = true;
                        break;
                    case "result":
                        top.HasResult = true;
                        break;
                    case "error":
                        top.HasError = true;
                        break;
                }

                reader.Skip();
            }

            return top;
        }

        private void ReadId(ref Utf8JsonReader reader)
        {
            IdPresent = true;
            IdStart = reader.TokenStartIndex;
            IdNull = reader.TokenType == JsonTokenType.Null;
            Id = IdOf(ref reader, out bool lone, out IdInexact);
            LoneSurrogate |= lone; // C34, as for the method
            IdWrongType = Id is null && !IdNull && !lone;
            Utf8JsonReader end = reader;
            end.Skip();
            IdLength = end.BytesConsumed - IdStart;
        }
    }
}
