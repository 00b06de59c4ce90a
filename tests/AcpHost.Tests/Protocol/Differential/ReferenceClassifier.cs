using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using AcpHost.Relay.Protocol;

namespace AcpHost.Tests.Protocol.Differential;

/// <summary>
/// The verdict on a line as the agent's <c>JSON.parse</c> reads it (exact-case keys, the last duplicate wins, escapes
/// decoded into UTF-16 as JavaScript does, lone surrogates included), followed by the JSON-RPC rules of
/// protocol/bad-input.md. Well-formedness is <see cref="JsonDocument"/>'s; the top level is walked with a
/// <see cref="Utf8JsonReader"/> and decoded here, with no code of the classifier's. Where the host deliberately reads
/// a line more strictly than <c>JSON.parse</c>, the rule is written here with the table row that documents it.
/// </summary>
internal static partial class ReferenceClassifier
{
    /// <summary>The deepest nesting the host reads (bad-input.md C35); JSON.parse has no such limit.</summary>
    public const int MaxDepth = 512;

    private const long MaxExactInteger = (1L << 53) - 1;

    public static Verdict Classify(byte[] line)
    {
        // C13: the agent's TextDecoder would read invalid UTF-8 as U+FFFD and go on; the host refuses the line
        // instead of forwarding bytes the two sides would read differently.
        if (!Utf8.IsValid(line))
        {
            return Verdict.Parse(ErrorClass.NotUtf8);
        }

        JsonValueKind root;
        try
        {
            using JsonDocument document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 4 * MaxDepth });
            root = document.RootElement.ValueKind;

            // C35: more than 512 levels of nesting is refused, though JSON.parse would read it.
            if (line.Length > 2 * MaxDepth && DepthOf(document.RootElement) > MaxDepth)
            {
                return Verdict.Parse(ErrorClass.NotJson);
            }
        }
        catch (JsonException)
        {
            // C36 among the rest: the classifier refuses a line padded with whitespace JSON does not know (a BOM,
            // NBSP, \v); the client router cuts such padding before classifying (JavaScriptTrim), as the agent's SDK does.
            return Verdict.Parse(ErrorClass.NotJson);
        }

        return root switch
        {
            JsonValueKind.Object => Decide(TopLevel.Read(line)),
            JsonValueKind.Array => Invalid(ErrorClass.Batch, new TopLevel()), // C5
            _ => Invalid(ErrorClass.NotObject, new TopLevel()), // C4
        };
    }

    /// <summary>JSON-RPC 2.0 as bad-input.md words it, in the order the host checks (C6, C7, C25, C9, C8).</summary>
    private static Verdict Decide(TopLevel top)
    {
        if (top.LoneSurrogate)
        {
            return Verdict.Parse(ErrorClass.LoneSurrogate); // C34
        }

        ErrorClass error = top.Version != "2.0" ? ErrorClass.Version
            : top.IdWrongType ? ErrorClass.IdType
            : top.IdInexact ? ErrorClass.IdInexact
            : top.MethodWrongType ? ErrorClass.MethodType
            : ErrorClass.None;
        if (error != ErrorClass.None)
        {
            return Invalid(error, top);
        }

        if (top.Method is not null)
        {
            if (!top.IdPresent)
            {
                return new Verdict(MessageKind.Notification, top.Method, null, -1, 0, false, ErrorClass.None, false);
            }

            return top.IdNull
                ? Invalid(ErrorClass.NullRequestId, top)
                : new Verdict(MessageKind.Request, top.Method, top.Id, top.IdStart, top.IdLength, false, ErrorClass.None, false);
        }

        if (top.IdPresent && (top.HasResult ^ top.HasError))
        {
            return new Verdict(MessageKind.Response, null, top.Id, top.IdStart, top.IdLength, top.HasError, ErrorClass.None, false);
        }

        return Invalid(ErrorClass.NoShape, top);
    }

    private static Verdict Invalid(ErrorClass error, TopLevel top) =>
        new(MessageKind.Invalid, top.Method, top.Id, -1, 0, false, error, top.Method is null && (top.HasResult || top.HasError));

    /// <summary>
    /// An id as the relay may hold it: a string, or a number written as an integer within 64 bits. JSON.parse would
    /// also read <c>1.0</c> or <c>1e2</c> as an integer; the host refuses every number written with a fraction or an
    /// exponent, and beyond 64 bits (C7). Null for those; <paramref name="inexact"/> beyond ±(2^53 − 1) (C25).
    /// </summary>
    public static RequestId? IdOf(ref Utf8JsonReader reader, out bool loneSurrogate, out bool inexact)
    {
        loneSurrogate = false;
        inexact = false;
        if (reader.TokenType == JsonTokenType.String)
        {
            string value = JsString(ref reader);
            loneSurrogate = HasLoneSurrogate(value);
            return loneSurrogate ? null : new RequestId(value);
        }

        if (reader.TokenType == JsonTokenType.Number)
        {
            string literal = Encoding.UTF8.GetString(reader.ValueSpan);
            if (IntegerLiteral().IsMatch(literal) && long.TryParse(literal, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number))
            {
                inexact = number is > MaxExactInteger or < -MaxExactInteger;
                return new RequestId(number);
            }
        }

        return null;
    }

    /// <summary>A string token decoded as JavaScript decodes it: \u escapes become UTF-16 code units, paired or not.</summary>
    public static string JsString(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> raw = reader.ValueSpan;
        var text = new StringBuilder();
        int run = 0;
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\')
            {
                continue;
            }

            text.Append(Encoding.UTF8.GetString(raw[run..i]));
            char escaped = (char)raw[i + 1];
            if (escaped == 'u')
            {
                text.Append((char)int.Parse(Encoding.ASCII.GetString(raw.Slice(i + 2, 4)), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 5;
            }
            else
            {
                text.Append(escaped switch { 'b' => '\b', 'f' => '\f', 'n' => '\n', 'r' => '\r', 't' => '\t', _ => escaped });
                i += 1;
            }

            run = i + 1;
        }

        return text.Append(Encoding.UTF8.GetString(raw[run..])).ToString();
    }

    private static bool HasLoneSurrogate(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static int DepthOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => 1 + element.EnumerateObject().Select(member => DepthOf(member.Value)).DefaultIfEmpty(0).Max(),
        JsonValueKind.Array => 1 + element.EnumerateArray().Select(DepthOf).DefaultIfEmpty(0).Max(),
        _ => 0,
    };

    [System.Text.RegularExpressions.GeneratedRegex("^-?(0|[1-9][0-9]*)$")]
    private static partial System.Text.RegularExpressions.Regex IntegerLiteral();
}
