using System.Text;
using AcpHost.Acp;
using AcpHost.Relay.Protocol;

namespace AcpHost.Tests.Protocol;

/// <summary>
/// A template may only ever call a line what the general scan would: one notification of one method, whatever its
/// strings hold. Templates that could not keep that promise are refused when made.
/// </summary>
public class LineTemplateTests
{
    private const int Timeout = 5_000;

    [Fact(Timeout = Timeout)]
    public async Task New_AcpTextChunk_IsANotificationOfSessionUpdate()
    {
        Assert.Equal("session/update", AcpDialect.TextChunk.Method);
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":", "}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{", ":1}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":", ",\"method\":\"m\"}")]
    [InlineData("{\"jsonrpc\":", ",\"method\":\"m\"}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":", "")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"a\":")]
    public async Task New_HoleThatIsNotAPlainValueOfANotification_IsRefused(params string[] parts)
    {
        Assert.Throws<ArgumentException>(() => new LineTemplate(parts));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Classify_LineOfAGivenTemplate_IsAChunkOfItsMethod_AndNotWithoutTheTemplate()
    {
        var template = new LineTemplate("{\"jsonrpc\":\"2.0\",\"method\":\"log\",\"params\":{\"text\":", "}}");
        byte[] line = Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"method\":\"log\",\"params\":{\"text\":\"a \\\"b\\\" \\u00e9\"}}");

        MessageInfo withTemplate = MessageClassifier.Classify(line, template);
        MessageInfo without = MessageClassifier.Classify(line);

        Assert.Equal((MessageKind.Notification, "log", true), (withTemplate.Kind, withTemplate.Method, withTemplate.IsChunk));
        Assert.Equal((MessageKind.Notification, "log", false), (without.Kind, without.Method, without.IsChunk));
        await Task.CompletedTask;
    }
}
