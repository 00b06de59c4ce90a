using System.Text;
using System.Text.Json;
using AcpHost.Acp;
using AcpHost.Relay.Protocol;

namespace AcpHost.Tests.Protocol;

/// <summary>
/// The text-chunk fast path of the classifier must agree with a full JSON parser on every line near its template:
/// the exact shape, and the same shape with bytes changed, dropped or added anywhere.
/// </summary>
public class TextChunkClassifierTests
{
    private const int Timeout = 30_000;

    private const string Template =
        """{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"sess_1","update":{"sessionUpdate":"agent_message_chunk","content":{"type":"text","text":"Hello, world"}}}}""";

    [Theory(Timeout = Timeout)]
    [InlineData(Template)]
    [InlineData("""{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"agent_thought_chunk","content":{"type":"text","text":"a \"quoted\" \\ \u00e9 line\nbreak"}}}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"","update":{"sessionUpdate":"","content":{"type":"text","text":""}}}}  """)]
    public async Task TemplateLines_AreSessionUpdateNotifications(string line)
    {
        MessageInfo info = MessageClassifier.Classify(Encoding.UTF8.GetBytes(line), AcpDialect.TextChunk);

        Assert.Equal(MessageKind.Notification, info.Kind);
        Assert.Equal("session/update", info.Method);
        Assert.Null(info.Id);
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData("""{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"x","content":{"type":"text","text":"cut""")]
    [InlineData("""{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"x","content":{"type":"text","text":"a"}}}}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"x","content":{"type":"text","text":"bad \x escape"}}}}""")]
    [InlineData("""{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"x","content":{"type":"text","text":"a"}}}}{}""")]
    public async Task BrokenTemplateLines_AreInvalid(string line)
    {
        Assert.Equal(MessageKind.Invalid, MessageClassifier.Classify(Encoding.UTF8.GetBytes(line), AcpDialect.TextChunk).Kind);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task MutatedTemplateLines_AgreeWithAFullParser()
    {
        var random = new Random(7);
        byte[] template = Encoding.UTF8.GetBytes(Template);
        byte[] alphabet = "{}[]:,\"\\ \tntrufalse0123456789.-+eEx\u0001"u8.ToArray();
        for (int round = 0; round < 20_000; round++)
        {
            var line = new List<byte>(template);
            for (int edits = random.Next(1, 4); edits > 0; edits--)
            {
                int at = random.Next(line.Count);
                switch (random.Next(3))
                {
                    case 0:
                        line[at] = alphabet[random.Next(alphabet.Length)];
                        break;
                    case 1:
                        line.RemoveAt(at);
                        break;
                    default:
                        line.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                }
            }

            byte[] bytes = [.. line];
            MessageInfo info = MessageClassifier.Classify(bytes, AcpDialect.TextChunk);
            bool parses = Parses(bytes, out bool isSessionUpdateNotification);
            if (!parses)
            {
                Assert.True(info.Kind == MessageKind.Invalid, "accepted what a parser rejects: " + Encoding.UTF8.GetString(bytes));
            }
            else if (isSessionUpdateNotification)
            {
                Assert.True(info.Kind == MessageKind.Notification && info.Method == "session/update", "misread: " + Encoding.UTF8.GetString(bytes));
            }
        }

        await Task.CompletedTask;
    }

    private static bool Parses(byte[] bytes, out bool isSessionUpdateNotification)
    {
        isSessionUpdateNotification = false;
        try
        {
            using JsonDocument document = JsonDocument.Parse(bytes);
            JsonElement root = document.RootElement;
            isSessionUpdateNotification = root.ValueKind == JsonValueKind.Object
                && root.EnumerateObject().Count() == 3
                && root.TryGetProperty("jsonrpc", out JsonElement version) && version.ValueKind == JsonValueKind.String && version.GetString() == "2.0"
                && root.TryGetProperty("method", out JsonElement method) && method.ValueKind == JsonValueKind.String && method.GetString() == "session/update"
                && root.TryGetProperty("params", out _);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
