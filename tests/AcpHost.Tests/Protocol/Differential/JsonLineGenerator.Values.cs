namespace AcpHost.Tests.Protocol.Differential;

/// <summary>The values: versions, ids, method names, strings, numbers, nesting, and the damage done to whole lines.</summary>
internal sealed partial class JsonLineGenerator
{
    private static readonly string[] OtherVersions = ["\"1.0\"", "2.0", "\"2.0 \"", "null", "\"\"", "[\"2.0\"]", "\"2.\\u0030\""];

    private static readonly string[] NumberIds =
    [
        "0", "-0", "1", "-1", "42", "9007199254740991", "-9007199254740991", "9007199254740992", "-9007199254740992",
        "9007199254740993", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
        "123456789012345678901234567890", "1.0", "1.5", "-0.0", "1e2", "1E400", "-1e-5", "0e0", "100e-2",
    ];

    private static readonly string[] StringIds =
    [
        "\"\"", "\"a\"", "\"b17\"", "\"1234567\"", "\"12345678\"", "\"acphost:1\"", "\"acphost:99\"", "\"3\"",
        "\"a\\\"b\"", "\"\\u0061\"", "\"é\"", "\"😀\"", "\"\\ud83d\\ude00\"", "\"\\ud800\"", "\"x\\udc00\"",
        "\"\\ud83d😀\"", "\"tab\\there\"", "\"\\u0000\"", "\"\u007f\"", "\"a-string-id-longer-than-a-vector-of-thirty-two-bytes\"",
    ];

    private static readonly string[] OtherIds = ["null", "null", "true", "false", "{}", "[]", "{\"n\":1}", "[1]"];

    private static readonly string[] Methods =
    [
        "\"session/update\"", "\"session/prompt\"", "\"session/new\"", "\"initialize\"", "\"$/cancel_request\"",
        "\"_acphost/session/fork\"", "\"session\\/update\"", "\"sess\\u0069on/new\"", "\"méthode\"", "\"🙂/x\"", "\"\"",
        "\"\\ud800x\"", "\"\\udfff\"", "\"a\\u0000b\"",
    ];

    private static readonly string[] OtherMethods = ["1", "null", "true", "{}", "[\"session/new\"]"];

    private static readonly string[] Numbers =
    [
        "0", "-0", "7", "-12", "3.25", "-0.5", "1e10", "1E+2", "2e-3", "1.5e308", "1e400", "-1e400", "4.9e-324",
        "9007199254740993", "18446744073709551616", "0.1",
    ];

    private static readonly string[] BadNumbers = ["01", "1.", "-", ".5", "+1", "1e", "0x1", "NaN", "Infinity", "1.e2", "--1"];

    private static readonly string[] StringPieces =
    [
        "a", "hello", " ", "é", "中文", "😀", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u00e9",
        "\\u0000", "\\ud83d\\ude00", "\\ud800", "\\udc00", "\u007f", "\u2028", "}", "{", ",", ":", "[", "]",
        "0123456789abcdef0123456789abcdef0123456789",
    ];

    private static readonly string[] BadStringPieces = ["\\x", "\\u12", "\\uZZZZ", "\u0001", "\t", "\\"];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xC0, 0x80], [0x80], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC3], [0xF0, 0x9F, 0x98],
    ];

    /// <summary>Whitespace to JavaScript's <c>trim</c> but not to JSON: BOM, NBSP, \v, \f, U+2028, U+3000.</summary>
    private static readonly byte[][] JsOnlyWhitespace = [[0xEF, 0xBB, 0xBF], [0xC2, 0xA0], [0x0B], [0x0C], [0xE2, 0x80, 0xA8], [0xE3, 0x80, 0x80]];

    private static readonly string[] Garbage = [" x", "}", "{}", " 1", ",", "]", " {\"jsonrpc\":\"2.0\",\"method\":\"y\"}", "\0", "\"", " null"];

    private void Version() => Raw(random.Next(10) switch { 0 => Pick(OtherVersions), 1 => "\"\\u0032.0\"", _ => "\"2.0\"" });

    private void Id()
    {
        int kind = random.Next(10);
        Raw(kind < 4 ? (random.Next(2) == 0 ? NumberIds[random.Next(NumberIds.Length)] : random.Next(-1000, 100_000).ToString(System.Globalization.CultureInfo.InvariantCulture))
            : kind < 8 ? StringIds[random.Next(StringIds.Length)]
            : OtherIds[random.Next(OtherIds.Length)]);
    }

    private void Method() => Raw(random.Next(8) == 0 ? Pick(OtherMethods) : random.Next(10) == 0 ? LongMethod() : Pick(Methods));

    /// <summary>Longer than the method-name cache keeps (128 bytes).</summary>
    private string LongMethod() => "\"" + new string('m', random.Next(100, 300)) + "\"";

    private void Number() => Raw(random.Next(60) == 0 ? Pick(BadNumbers) : Pick(Numbers));

    private void StringValue()
    {
        Raw("\"");
        for (int n = random.Next(6); n > 0; n--)
        {
            Raw(random.Next(80) == 0 ? Pick(BadStringPieces) : Pick(StringPieces));
        }

        Raw("\"");
    }

    private void Value(int depth)
    {
        if (random.Next(300) == 0)
        {
            DeepNesting();
            return;
        }

        int kind = depth <= 0 ? random.Next(4) : random.Next(7);
        switch (kind)
        {
            case 0:
                StringValue();
                break;
            case 1:
                Number();
                break;
            case 2:
                Raw(Pick("true", "false", "null"));
                break;
            case 3 or 4:
                Object(depth - 1);
                break;
            case 5:
                Raw(random.Next(2) == 0 ? "\"\"" : "[]");
                break;
            default:
                Array(depth - 1);
                break;
        }
    }

    private void Object(int depth)
    {
        var members = new List<Action>();
        for (int n = random.Next(4); n > 0; n--)
        {
            string key = Pick("a", "text", "sessionId", "id", "method", "é", "\\u00e9", "", "k k");
            members.Add(() => Member(key, () => Value(depth)));
        }

        WriteObject(members);
    }

    private void Array(int depth)
    {
        Raw("[");
        for (int n = random.Next(4), i = 0; i < n; i++)
        {
            if (i > 0)
            {
                Comma();
            }

            Space();
            Value(depth);
            Space();
        }

        Raw("]");
    }

    /// <summary>Nesting around the plain scanner's limit (64) and the reader's (512).</summary>
    private void DeepNesting()
    {
        int levels = random.Next(2) == 0 ? random.Next(60, 70) : random.Next(505, 520);
        bool objects = random.Next(2) == 0;
        for (int i = 0; i < levels; i++)
        {
            Raw(objects ? "{\"a\":" : "[");
        }

        Raw("1");
        for (int i = 0; i < levels; i++)
        {
            Raw(objects ? "}" : "]");
        }
    }

    private void Damage()
    {
        switch (random.Next(6))
        {
            case 4:
                _out.InsertRange(random.Next(2) == 0 ? 0 : _out.Count, JsOnlyWhitespace[random.Next(JsOnlyWhitespace.Length)]);
                break;
            case 0 when _out.Count > 1:
                int cut = random.Next(1, _out.Count);
                _out.RemoveRange(cut, _out.Count - cut);
                break;
            case 1:
                Raw(Pick(Garbage));
                break;
            case 2:
                _out.InsertRange(random.Next(_out.Count + 1), InvalidUtf8[random.Next(InvalidUtf8.Length)]);
                break;
            default:
                EditBytes();
                break;
        }
    }

    private void EditBytes()
    {
        const string Alphabet = "{}[]:,\"\\ \trntufalse0123456789.-+eEx";
        for (int edits = random.Next(1, 4); edits > 0 && _out.Count > 0; edits--)
        {
            int at = random.Next(_out.Count);
            byte b = (byte)Alphabet[random.Next(Alphabet.Length)];
            switch (random.Next(3))
            {
                case 0:
                    _out[at] = b;
                    break;
                case 1:
                    _out.RemoveAt(at);
                    break;
                default:
                    _out.Insert(at, b);
                    break;
            }
        }
    }
}
