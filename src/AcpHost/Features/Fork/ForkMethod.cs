using AcpHost.Acp;
using AcpHost.Events;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;

namespace AcpHost.Features.Fork;

/// <summary>
/// The host's <c>_acphost/session/fork</c> request, for clients and programs that cannot call ACP's unstable
/// <c>session/fork</c> or want to fork at a message: <c>{sessionId, messageId?, cwd?, mcpServers?}</c> →
/// <c>{sessionId, parentSessionId, modes?, configOptions?}</c>, or the agent's error.
/// </summary>
internal sealed class ForkMethod(ForkService forks) : IMessageInterceptor
{
    /// <inheritdoc/>
    public IReadOnlyCollection<string> Methods { get; } = [AcpMethods.HostSessionFork];

    /// <inheritdoc/>
    public async ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Direction != Direction.FromClient || context.Info.Kind != MessageKind.Request)
        {
            return context.Info.Kind == MessageKind.Notification ? InterceptResult.Consume : InterceptResult.Forward;
        }

        RequestId id = context.Info.Id!.Value;
        HostForkParams? request;
        try
        {
            request = JsonSerializer.Deserialize(context.Line.Span, AcpJsonContext.Default.RequestEnvelopeHostForkParams)?.Params;
        }
        catch (JsonException ex)
        {
            await ClientReplies.ErrorAsync(context.Outlet, id, JsonRpcErrorCodes.InvalidParams, "Invalid params: " + ex.Message, cancellationToken).ConfigureAwait(false);
            return InterceptResult.Consume;
        }

        if (request?.SessionId is not { Length: > 0 } sessionId)
        {
            await ClientReplies.ErrorAsync(context.Outlet, id, JsonRpcErrorCodes.InvalidParams, "Invalid params: sessionId is required", cancellationToken).ConfigureAwait(false);
            return InterceptResult.Consume;
        }

        // Answered off the pump: the client's other messages must not wait for the agent's session/fork.
        IRelayOutlet outlet = context.Outlet;
        var fork = new ForkRequest(sessionId, ForkReasons.Client, request.MessageId, request.Cwd, request.McpServers);
        return InterceptResult.ConsumeThen(token => AnswerAsync(outlet, id, fork, token));
    }

    private async Task AnswerAsync(IRelayOutlet outlet, RequestId id, ForkRequest fork, CancellationToken cancellationToken)
    {
        ForkResult result;
        try
        {
            result = await forks.ForkAsync(fork, outlet, cancellationToken).ConfigureAwait(false);
        }
        catch (AgentUnavailableException ex)
        {
            await ClientReplies.ErrorAsync(outlet, id, JsonRpcErrorCodes.InternalError, "Cannot fork: " + ex.Message, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await ClientReplies.StoppingAsync(outlet, id).ConfigureAwait(false);
            return;
        }

        if (!result.Succeeded)
        {
            await ClientReplies.ErrorAsync(outlet, id, result.Error!.Value, cancellationToken).ConfigureAwait(false);
            return;
        }

        await ClientReplies.ResultAsync(outlet, id, writer => WriteResult(writer, result), cancellationToken).ConfigureAwait(false);
    }

    private static void WriteResult(Utf8JsonWriter writer, ForkResult result)
    {
        writer.WriteStartObject();
        writer.WriteString("sessionId"u8, result.SessionId);
        writer.WriteString("parentSessionId"u8, result.ParentSessionId);
        if (result.Result is { } agentResult)
        {
            foreach (string name in new[] { "modes", "configOptions" })
            {
                if (agentResult.TryGetProperty(name, out JsonElement value))
                {
                    writer.WritePropertyName(name);
                    value.WriteTo(writer);
                }
            }
        }

        writer.WriteEndObject();
    }
}
