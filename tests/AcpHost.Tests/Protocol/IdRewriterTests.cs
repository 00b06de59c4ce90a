using System.Text;
using AcpHost.Relay.Protocol;

namespace AcpHost.Tests.Protocol;

public class IdRewriterTests
{
    private const int Timeout = 5_000;

    [Fact(Timeout = Timeout)]
    public async Task Replace_StringIdByString_ChangesOnlyTheId()
    {
        const string line = """{ "jsonrpc" : "2.0", "id" : "acphost:1", "method":"x", "params":{"id":"acphost:1"} }""";
        MessageInfo info = MessageClassifier.Classify(Encoding.UTF8.GetBytes(line));

        byte[] rewritten = IdRewriter.Replace(Encoding.UTF8.GetBytes(line), info.IdStart, info.IdLength, new RequestId("acphost:77"));

        Assert.Equal("""{ "jsonrpc" : "2.0", "id" : "acphost:77", "method":"x", "params":{"id":"acphost:1"} }""", Encoding.UTF8.GetString(rewritten));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Replace_WithNumber_WritesABareNumber()
    {
        const string line = """{"jsonrpc":"2.0","id":"acphost:3","result":{}}""";
        MessageInfo info = MessageClassifier.Classify(Encoding.UTF8.GetBytes(line));

        byte[] rewritten = IdRewriter.Replace(Encoding.UTF8.GetBytes(line), info.IdStart, info.IdLength, new RequestId(12));

        Assert.Equal("""{"jsonrpc":"2.0","id":12,"result":{}}""", Encoding.UTF8.GetString(rewritten));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task TryFindParamsMember_FindsRequestIdInsideParams()
    {
        const string line = """{"jsonrpc":"2.0","method":"$/cancel_request","params":{"other":[1,{"requestId":9}],"requestId":"acphost:5"}}""";

        bool found = IdRewriter.TryFindParamsMember(Encoding.UTF8.GetBytes(line), "requestId"u8, out RequestId target, out long start, out long length);

        Assert.True(found);
        Assert.Equal(new RequestId("acphost:5"), target);
        Assert.Equal("\"acphost:5\"", line.Substring((int)start, (int)length));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task TryFindParamsMember_NoRequestId_ReturnsFalse()
    {
        Assert.False(IdRewriter.TryFindParamsMember("""{"jsonrpc":"2.0","method":"$/cancel_request","params":{}}"""u8, "requestId"u8, out _, out _, out _));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task HostIdSpace_Contains_OnlyPrefixedStrings()
    {
        var ids = new HostIdSpace();

        Assert.True(HostIdSpace.Contains(ids.Next()));
        Assert.NotEqual(ids.Next(), ids.Next());
        Assert.True(HostIdSpace.Contains(new RequestId("acphost:anything")));
        Assert.False(HostIdSpace.Contains(new RequestId("acphost")));
        Assert.False(HostIdSpace.Contains(new RequestId(1)));
        Assert.False(HostIdSpace.Contains(null));
        await Task.CompletedTask;
    }
}
