using System.Text;
using AcpHost.Acp;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;

namespace AcpHost.Features.Recovery;

/// <summary>
/// Remembers the client's choices for a restarted agent (<see cref="ClientChoices"/>): each <c>session/set_mode</c>,
/// <c>session/set_model</c>, <c>session/set_config_option</c> and <c>authenticate</c> is held by its id until the
/// agent answers, and kept only when the answer is a result. When the agent itself changes a session's mode (a
/// <c>current_mode_update</c>: leaving plan mode once the user approved the plan, or falling back from a mode the model
/// lacks), that is the mode the user last saw, and it is the mode to restore. Observes only; every message goes on
/// unchanged.
/// </summary>
internal sealed class ChoiceRecorder(ClientChoices choices) : IMessageInterceptor
{
    // Requests waiting for their answer. One the agent never answers (it died) would stay; the cap keeps that bounded,
    // and such a request never became a choice anyway.
    private const int MaxInFlight = 1024;

    private readonly ConcurrentDictionary<RequestId, (string? SessionId, ClientChoice Choice)> _inFlight = new();

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Methods { get; } =
        [AcpMethods.SessionSetMode, AcpMethods.SessionSetModel, AcpMethods.SessionSetConfigOption, AcpMethods.Authenticate, AcpMethods.SessionUpdate];

    /// <inheritdoc/>
    public bool WantsChunks => false;

    /// <inheritdoc/>
    /// <remarks>Of the many <c>session/update</c>s only a mode change matters here.</remarks>
    public bool Wants(string method, ReadOnlyMemory<byte> line) =>
        method != AcpMethods.SessionUpdate || line.Span.IndexOf("\"current_mode_update\""u8) >= 0;

    /// <inheritdoc/>
    public ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Method == AcpMethods.SessionUpdate)
        {
            if (context.Direction == Direction.FromAgent && ModeChange(context.Line.Span) is { } change)
            {
                choices.Record(change.SessionId, change.Choice);
            }

            return ValueTask.FromResult(InterceptResult.Forward);
        }

        if (context.Info.Id is not { } id)
        {
            return ValueTask.FromResult(InterceptResult.Forward);
        }

        if (context.Direction == Direction.FromClient && context.Info.Kind == MessageKind.Request)
        {
            if (_inFlight.Count >= MaxInFlight)
            {
                _inFlight.Clear();
            }

            if (Read(context.Method, context.Line.Span) is { } pending)
            {
                _inFlight[id] = pending;
            }
        }
        else if (context.Direction == Direction.FromAgent && context.Info.Kind == MessageKind.Response
            && _inFlight.TryRemove(id, out (string? SessionId, ClientChoice Choice) pending)
            && AgentResponse.Parse(context.Line.Span).IsSuccess)
        {
            if (pending.SessionId is { } sessionId)
            {
                choices.Record(sessionId, pending.Choice);
            }
            else
            {
                choices.Authenticated(pending.Choice.Params);
            }
        }

        return ValueTask.FromResult(InterceptResult.Forward);
    }

    /// <summary>The agent's own change of a session's mode, as the <c>session/set_mode</c> that would make it.</summary>
    internal static (string SessionId, ClientChoice Choice)? ModeChange(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, JsonDepth.Reader);
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        if (!document.RootElement.TryGetProperty("params"u8, out JsonElement parameters) || parameters.ValueKind != JsonValueKind.Object
            || !parameters.TryGetProperty("sessionId"u8, out JsonElement session) || session.ValueKind != JsonValueKind.String
            || !parameters.TryGetProperty("update"u8, out JsonElement update) || update.ValueKind != JsonValueKind.Object
            || !update.TryGetProperty("sessionUpdate"u8, out JsonElement kind) || !kind.ValueEquals("current_mode_update"u8)
            || !update.TryGetProperty("currentModeId"u8, out JsonElement mode) || mode.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        string sessionId = session.GetString()!;
        byte[] setMode = JsonRpcWriter.ToBytes(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("sessionId"u8, sessionId);
            writer.WriteString("modeId"u8, mode.GetString());
            writer.WriteEndObject();
        });
        return (sessionId, new ClientChoice(AcpMethods.SessionSetMode, "mode", setMode));
    }

    /// <summary>The session and choice a request makes, or null for one that names no session (or no option).</summary>
    internal static (string? SessionId, ClientChoice Choice)? Read(string method, ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, JsonDepth.Reader);
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        if (!document.RootElement.TryGetProperty("params"u8, out JsonElement parameters) || parameters.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        byte[] raw = Encoding.UTF8.GetBytes(parameters.GetRawText());
        if (method == AcpMethods.Authenticate)
        {
            return (null, new ClientChoice(method, "authenticate", raw));
        }

        if (!parameters.TryGetProperty("sessionId"u8, out JsonElement session) || session.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        string? key = method switch
        {
            AcpMethods.SessionSetMode => "mode",
            AcpMethods.SessionSetModel => "model",
            _ => parameters.TryGetProperty("configId"u8, out JsonElement config) && config.ValueKind == JsonValueKind.String ? "config:" + config.GetString() : null,
        };
        return key is null ? null : (session.GetString(), new ClientChoice(method, key, raw));
    }
}
