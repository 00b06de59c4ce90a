using System.Text;
using AcpHost.Acp;

namespace AcpHost.Tests.Acp;

public class TurnFieldsTests
{
    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"session/prompt","params":{"sessionId":"s-1","prompt":[{"type":"text","text":"hi"}]}}""", "s-1")]
    [InlineData("""{"params":{"prompt":[],"sessionId":"s-\u0031"},"id":1}""", "s-1")]
    [InlineData("""{"params":{"sessionId":"s-1","sessionId":"s-2"}}""", "s-2")]
    [InlineData("""{"params":{"sessionId":"s-1"},"params":{"sessionId":"s-2"}}""", "s-2")]
    [InlineData("""{"params":{"sessionId":"s-1"},"params":{"prompt":[]}}""", null)]
    [InlineData("""{"params":{"SessionId":"s-1"}}""", null)]
    [InlineData("""{"Params":{"sessionId":"s-1"}}""", null)]
    [InlineData("""{"params":{"sessionId":7}}""", null)]
    [InlineData("""{"params":{"sessionId":"s-1","sessionId":null}}""", null)]
    [InlineData("""{"params":[{"sessionId":"s-1"}]}""", null)]
    [InlineData("""{"params":{"sessionId":"\ud800"}}""", null)]
    [InlineData("""[{"params":{"sessionId":"s-1"}}]""", null)]
    [InlineData("""{"params":{"nested":{"sessionId":"inner"},"sessionId":"outer"}}""", "outer")]
    public void SessionIdOf_Params_ReadsWhatJsonParseReads(string line, string? expected)
    {
        Assert.Equal(expected, TurnFields.SessionIdOf(Encoding.UTF8.GetBytes(line)));
    }

    [Fact]
    public void SessionIdOf_DeepLineTheClassifierAccepts_DoesNotThrow()
    {
        string deep = new string('[', 300) + new string(']', 300);
        string line = "{\"params\":{\"junk\":" + deep + ",\"sessionId\":\"s-1\"}}";
        Assert.Equal("s-1", TurnFields.SessionIdOf(Encoding.UTF8.GetBytes(line)));
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"usage_update","used":2560,"size":1000000,"cost":{"amount":0.01,"currency":"USD"}}}}""", "s", 2560L, 1000000L)]
    [InlineData("""{"params":{"update":{"size":200000.0,"used":12.0,"sessionUpdate":"usage_update"},"sessionId":"s"}}""", "s", 12L, 200000L)]
    [InlineData("""{"params":{"sessionId":"s","update":{"sessionUpdate":"usage_update","used":1,"used":2.5,"size":"9"}}}""", "s", null, null)]
    [InlineData("""{"params":{"sessionId":"s","update":{"sessionUpdate":"usage_update","used":1,"used":5}}}""", "s", 5L, null)]
    public void UsageOf_UsageUpdate_ReadsTheFill(string line, string sessionId, long? used, long? size)
    {
        Assert.Equal(new TurnFields.Usage(sessionId, used, size), TurnFields.UsageOf(Encoding.UTF8.GetBytes(line)));
    }

    [Theory]
    [InlineData("""{"params":{"sessionId":"s","update":{"sessionUpdate":"agent_message_chunk","content":{"type":"text","text":"usage_update"}}}}""")]
    [InlineData("""{"params":{"sessionId":"s","update":{"sessionUpdate":"usage_update","sessionUpdate":"plan","used":1}}}""")]
    [InlineData("""{"params":{"sessionId":"s","update":{"SessionUpdate":"usage_update","used":1}}}""")]
    [InlineData("""{"params":{"update":{"sessionUpdate":"usage_update","used":1}}}""")]
    [InlineData("""{"params":{"sessionId":"s","update":{"sessionUpdate":"usage_update"}},"params":{"sessionId":"s"}}""")]
    [InlineData("""not json""")]
    public void UsageOf_NotAUsageUpdateTheAgentWouldRead_IsNull(string line)
    {
        Assert.Null(TurnFields.UsageOf(Encoding.UTF8.GetBytes(line)));
    }
}
