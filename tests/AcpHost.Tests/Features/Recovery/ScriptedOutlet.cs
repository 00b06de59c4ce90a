using System.Text;
using System.Text.Json;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;

namespace AcpHost.Tests.Features.Recovery;

/// <summary>
/// A relay outlet that plays a scripted agent: every host request is recorded and answered by <see cref="Answer"/>;
/// everything sent to the client is recorded.
/// </summary>
internal sealed class ScriptedOutlet : IRelayOutlet
{
    public List<(string Method, string Params)> Requests { get; } = [];

    public List<string> ToClient { get; } = [];

    /// <summary>The agent's answer, as a JSON response object (<c>{"result":...}</c> or <c>{"error":...}</c>).</summary>
    public Func<string, JsonElement, string> Answer { get; set; } = (_, _) => """{"result":{}}""";

    public ValueTask<bool> SendToClientAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        ToClient.Add(Encoding.UTF8.GetString(message.Span));
        return ValueTask.FromResult(true);
    }

    public ValueTask<bool> NotifyClientAsync(string method, ReadOnlyMemory<byte> paramsJson, CancellationToken cancellationToken)
    {
        ToClient.Add($$"""{"jsonrpc":"2.0","method":"{{method}}","params":{{Encoding.UTF8.GetString(paramsJson.Span)}}}""");
        return ValueTask.FromResult(true);
    }

    /// <summary>Requests the agent never answers (it hangs on them until the caller gives up).</summary>
    public Func<string, JsonElement, bool> Hangs { get; set; } = (_, _) => false;

    public async Task<AgentResponse> RequestAgentAsync(string method, ReadOnlyMemory<byte> paramsJson, CancellationToken cancellationToken)
    {
        string parameters = Encoding.UTF8.GetString(paramsJson.Span);
        Requests.Add((method, parameters));
        JsonElement parsed = JsonDocument.Parse(parameters, JsonDepth.Document).RootElement.Clone();
        if (Hangs(method, parsed))
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return AgentResponse.Parse(Encoding.UTF8.GetBytes(Answer(method, parsed)));
    }

    /// <summary>Records a held client message let go, as it would reach the agent.</summary>
    public List<string> Resumed { get; } = [];

    public ValueTask<bool> ResumeClientMessageAsync(ReadOnlyMemory<byte> line, IMessageInterceptor heldBy, CancellationToken cancellationToken)
    {
        Resumed.Add(Encoding.UTF8.GetString(line.Span));
        return ValueTask.FromResult(true);
    }

    /// <summary>
    /// Hands <paramref name="line"/> to <paramref name="interceptor"/> as the relay would, this outlet its outlet; a
    /// response needs the <paramref name="method"/> of the request it answers.
    /// </summary>
    public ValueTask<InterceptResult> PassAsync(IMessageInterceptor interceptor, Direction direction, string line, string? method = null)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(line);
        MessageInfo info = MessageClassifier.Classify(bytes);
        return interceptor.InterceptAsync(new InterceptContext(direction, info, method ?? info.Method!, bytes, this), CancellationToken.None);
    }

    /// <summary>The <c>update</c>s of the <c>session/update</c>s sent to the client.</summary>
    public IEnumerable<JsonElement> Updates =>
        ToClient.Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .Where(message => message.TryGetProperty("method", out JsonElement method) && method.GetString() == "session/update")
            .Select(message => message.GetProperty("params").GetProperty("update"));
}
