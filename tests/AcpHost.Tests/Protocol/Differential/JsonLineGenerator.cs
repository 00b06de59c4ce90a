using System.Text;

namespace AcpHost.Tests.Protocol.Differential;

/// <summary>
/// Generates lines of every shape a peer could send: requests, notifications, responses, errors, batches, scalars,
/// cancel requests and text chunks, with escaped and duplicate keys, ids and numbers at the edges, unicode and
/// surrogates, whitespace, deep nesting; then damages some of them (truncation, trailing garbage, invalid UTF-8,
/// edited bytes). No line contains LF: the framer splits there before the classifier sees anything.
/// </summary>
internal sealed partial class JsonLineGenerator(Random random)
{
    private readonly List<byte> _out = [];
    private bool _loose;

    public byte[] Next()
    {
        _out.Clear();
        _loose = random.Next(4) == 0;
        int shape = random.Next(100);
        if (shape < 8)
        {
            TextChunk();
        }
        else if (shape < 68)
        {
            Message();
        }
        else if (shape < 76)
        {
            Batch();
        }
        else if (shape < 82)
        {
            Value(depth: 3);
        }
        else if (shape < 92)
        {
            CancelRequest();
        }
        else
        {
            Object(depth: 3);
        }

        if (random.Next(100) < 30)
        {
            Damage();
        }

        return [.. _out];
    }

    private void Message()
    {
        // A role first, so that each kind is met often; then one in four messages mixes members at random.
        int role = random.Next(4);
        bool mixed = role == 3;
        var members = new List<Action>();
        if (random.Next(10) < 9)
        {
            members.Add(() => Member("jsonrpc", Version));
        }

        if (mixed ? random.Next(4) < 3 : role != 1)
        {
            members.Add(() => Member("id", Id));
        }

        if (mixed ? random.Next(5) < 3 : role != 2)
        {
            members.Add(() => Member("method", Method));
        }

        if (random.Next(2) == 0)
        {
            members.Add(() => Member("params", () => Value(4)));
        }

        bool error = random.Next(3) == 0;
        if (mixed ? random.Next(4) == 0 : role == 2 && !error)
        {
            members.Add(() => Member("result", () => Value(4)));
        }

        if (mixed ? random.Next(5) == 0 : role == 2 && error)
        {
            members.Add(() => Member("error", ErrorObject));
        }

        for (int extra = random.Next(3); extra > 0; extra--)
        {
            string key = Pick("ID", "Method", "JSONRPC", "_meta", "Result", "ids", "jsonrpc ", "x");
            members.Add(() => Member(key, () => Value(2)));
        }

        // Duplicates: JSON.parse keeps the last one.
        if (random.Next(6) == 0)
        {
            members.Add(() => Member("id", Id));
        }

        if (random.Next(10) == 0)
        {
            members.Add(() => Member("method", Method));
        }

        if (random.Next(20) == 0)
        {
            members.Add(() => Member("jsonrpc", Version));
        }

        // Most peers write jsonrpc first, which the classifier's fastest compare expects; the rest in any order.
        bool versionFirst = members.Count > 0 && random.Next(5) < 3;
        List<Action> order = versionFirst ? [members[0], .. Shuffle(members.Skip(1))] : Shuffle(members);
        WriteObject(order);
    }

    private void CancelRequest()
    {
        var members = new List<Action>
        {
            () => Member("jsonrpc", () => Raw("\"2.0\"")),
            () => Member("method", () => Raw(Pick("\"$/cancel_request\"", "\"$\\/cancel_request\"", "\"$/cancel_\\u0072equest\""))),
        };
        var inner = new List<Action>();
        for (int n = random.Next(3); n >= 0; n--)
        {
            string key = Pick("requestId", "requestId", "request\\u0049d", "RequestId", "other");
            inner.Add(() => Member(key, Id));
        }

        members.Add(() => Member("params", () => WriteObject(inner)));
        if (random.Next(5) == 0)
        {
            members.Add(() => Member("params", () => Raw(Pick("{\"requestId\":\"acphost:1\"}", "null", "[]", "{}"))));
        }

        WriteObject(random.Next(3) == 0 ? Shuffle(members) : members);
    }

    private void Batch()
    {
        Raw("[");
        for (int n = random.Next(4), i = 0; i < n; i++)
        {
            if (i > 0)
            {
                Comma();
            }

            Message();
        }

        Raw("]");
    }

    private void TextChunk()
    {
        Raw("{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":");
        StringValue();
        Raw(",\"update\":{\"sessionUpdate\":");
        StringValue();
        Raw(",\"content\":{\"type\":\"text\",\"text\":");
        StringValue();
        Raw("}}}}");
        if (random.Next(5) == 0)
        {
            Raw(Pick(" ", "\t", "\r", "  \t"));
        }
    }

    private void ErrorObject()
    {
        if (random.Next(4) == 0)
        {
            Value(2);
            return;
        }

        Raw("{\"code\":");
        Number();
        Raw(",\"message\":");
        StringValue();
        Raw("}");
    }

    private void Member(string key, Action value)
    {
        Space();
        Raw("\"");
        Raw(random.Next(12) == 0 ? EscapeOneChar(key) : key);
        Raw("\"");
        Space();
        Raw(":");
        Space();
        value();
        Space();
    }

    private void WriteObject(List<Action> members)
    {
        Raw("{");
        for (int i = 0; i < members.Count; i++)
        {
            if (i > 0)
            {
                Comma();
            }

            members[i]();
        }

        Space();
        Raw("}");
    }

    private void Comma() => Raw(",");

    /// <summary>JSON's own whitespace only, and never LF (the framer would have split the line there).</summary>
    private void Space()
    {
        if (_loose && random.Next(3) == 0)
        {
            Raw(Pick(" ", "\t", "\r", "  ", " \t\r "));
        }
    }

    private void Raw(string text) => _out.AddRange(Encoding.UTF8.GetBytes(text));

    private string Pick(params string[] choices) => choices[random.Next(choices.Length)];

    private List<Action> Shuffle(IEnumerable<Action> items) => [.. items.OrderBy(_ => random.Next())];

    /// <summary>The same key with one character written as a \u escape: JSON.parse reads it as the plain key.</summary>
    private string EscapeOneChar(string key)
    {
        if (key.Length == 0)
        {
            return key;
        }

        int at = random.Next(key.Length);
        return key[..at] + $"\\u{(int)key[at]:x4}" + key[(at + 1)..];
    }
}
