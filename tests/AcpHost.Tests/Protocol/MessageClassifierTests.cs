using System.Text;
using AcpHost.Relay.Protocol;

namespace AcpHost.Tests.Protocol;

public class MessageClassifierTests
{
    private const int Timeout = 5_000;

    private static MessageInfo Classify(string json) => MessageClassifier.Classify(Encoding.UTF8.GetBytes(json));

    [Fact(Timeout = Timeout)]
    public async Task Classify_Request_FindsMethodIdAndIdPosition()
    {
        const string line = """{"jsonrpc":"2.0","id":42,"method":"session/new","params":{"cwd":"/x","id":7}}""";

        MessageInfo info = Classify(line);

        Assert.Equal(MessageKind.Request, info.Kind);
        Assert.Equal("session/new", info.Method);
        Assert.Equal(new RequestId(42), info.Id);
        Assert.Equal("42", line.Substring((int)info.IdStart, (int)info.IdLength));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Classify_StringIdWithEscapes_KeepsTheDecodedValueAndTheRawSpan()
    {
        const string line = """{"id":"a\"b\u00e9","jsonrpc":"2.0","method":"m"}""";

        MessageInfo info = Classify(line);

        Assert.Equal(new RequestId("a\"bé"), info.Id);
        Assert.Equal("\"a\\\"b\\u00e9\"", line.Substring((int)info.IdStart, (int)info.IdLength));
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData("""{"jsonrpc":"2.0","method":"session/update","params":{}}""", MessageKind.Notification)]
    [InlineData("""{"jsonrpc":"2.0","id":"x","result":null}""", MessageKind.Response)]
    [InlineData("""{"jsonrpc":"2.0","id":3,"error":{"code":-1,"message":"m"}}""", MessageKind.Response)]
    [InlineData("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"m"}}""", MessageKind.Response)]
    [InlineData("""  {"jsonrpc":"2.0","method":"x"}  """, MessageKind.Notification)]
    public async Task Classify_ValidMessages_GetTheirKind(string line, MessageKind expected)
    {
        Assert.Equal(expected, Classify(line).Kind);
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData("not json", JsonRpcErrorCodes.ParseError)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"x" """, JsonRpcErrorCodes.ParseError)]
    [InlineData("""{"jsonrpc":"2.0","method":"x"} trailing""", JsonRpcErrorCodes.ParseError)]
    [InlineData("""{"jsonrpc":"2.0","method":"x"}{"jsonrpc":"2.0","method":"y"}""", JsonRpcErrorCodes.ParseError)]
    [InlineData("""[{"jsonrpc":"2.0","method":"x"}]""", JsonRpcErrorCodes.InvalidRequest)]
    [InlineData("42", JsonRpcErrorCodes.InvalidRequest)]
    [InlineData("""{"id":1,"method":"x"}""", JsonRpcErrorCodes.InvalidRequest)]
    [InlineData("""{"jsonrpc":"1.0","id":1,"method":"x"}""", JsonRpcErrorCodes.InvalidRequest)]
    [InlineData("""{"jsonrpc":"2.0","id":{"a":1},"method":"x"}""", JsonRpcErrorCodes.InvalidRequest)]
    [InlineData("""{"jsonrpc":"2.0","id":1.5,"method":"x"}""", JsonRpcErrorCodes.InvalidRequest)]
    [InlineData("""{"jsonrpc":"2.0","id":null,"method":"x"}""", JsonRpcErrorCodes.InvalidRequest)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":5}""", JsonRpcErrorCodes.InvalidRequest)]
    [InlineData("""{"jsonrpc":"2.0","id":1}""", JsonRpcErrorCodes.InvalidRequest)]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":1,"error":{}}""", JsonRpcErrorCodes.InvalidRequest)]
    public async Task Classify_BadInput_IsInvalidWithTheRightCode(string line, int code)
    {
        MessageInfo info = Classify(line);

        Assert.Equal(MessageKind.Invalid, info.Kind);
        Assert.Equal(code, info.Error.Code);
        Assert.False(string.IsNullOrWhiteSpace(info.Error.Message));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Classify_InvalidUtf8InsideAString_IsAParseError()
    {
        byte[] line = [.. """{"jsonrpc":"2.0","method":"x","params":{"t":" """u8, 0xC3, 0x28, .. "\"}}"u8];

        MessageInfo info = MessageClassifier.Classify(line);

        Assert.Equal(MessageKind.Invalid, info.Kind);
        Assert.Equal(JsonRpcErrorCodes.ParseError, info.Error.Code);
        Assert.Contains("UTF-8", info.Error.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData("""{"jsonrpc":["2.0","method":"session/update","params":{}}""")]
    [InlineData("""{"jsonrpc":{"v":"2.0","method":"x"}""")]
    public async Task Classify_JsonrpcHoldingAnUnclosedArray_IsAParseError(string line)
    {
        // Found by the differential test: the version's container was not skipped, so the pass went on inside it
        // and called the line a wrong version (-32600) instead of what it is, not JSON (-32700).
        MessageInfo info = Classify(line);

        Assert.Equal(MessageKind.Invalid, info.Kind);
        Assert.Equal(JsonRpcErrorCodes.ParseError, info.Error.Code);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Classify_InvalidRequestWithReadableId_RecoversTheId()
    {
        MessageInfo info = Classify("""{"jsonrpc":"1.0","id":"req-9","method":"x"}""");

        Assert.Equal(MessageKind.Invalid, info.Kind);
        Assert.Equal(new RequestId("req-9"), info.Id);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Classify_TruncatedJsonAfterTheId_RecoversTheId()
    {
        MessageInfo info = Classify("""{"jsonrpc":"2.0","id":17,"method":"session/prompt","params":{"prompt":[""");

        Assert.Equal(JsonRpcErrorCodes.ParseError, info.Error.Code);
        Assert.Equal(new RequestId(17), info.Id);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Classify_EscapedMethodName_IsDecoded()
    {
        Assert.Equal("$/cancel_request", Classify("""{"jsonrpc":"2.0","method":"\u0024/cancel_request"}""").Method);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Classify_DeeplyNestedParams_IsSkippedNotDecoded()
    {
        string nested = new string('[', 300) + new string(']', 300);

        MessageInfo info = Classify($$$"""{"jsonrpc":"2.0","method":"m","params":{"deep":{{{nested}}}}}""");

        Assert.Equal(MessageKind.Notification, info.Kind);
        await Task.CompletedTask;
    }
}
