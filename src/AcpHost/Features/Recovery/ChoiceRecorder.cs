using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using AcpHost.Acp;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;

namespace AcpHost.Features.Recovery;

/// <summary>
/// Remembers the client's choices for a restarted agent (<see cref="ClientChoices"/>): each <c>session/set_mode</c>,
/// <c>session/set_model</c>, <c>session/set_config_option</c> and <c>authenticate</c> is held by its id until the
/// agent answers, and kept only when the answer is a result. Observes only; every message goes on unchanged.
/// </summary>
public sealed class ChoiceRecorder(ClientChoices choices) : IMessageInterceptor
{
    // Requests waiting for their answer. One the agent never answers (it died) would stay; the cap keeps that bounded,
    // and such a request never became a choice anyway.
    private const int MaxInFlight = 1024;

    private readonly ConcurrentDictionary<RequestId, (string? SessionId, ClientChoice Choice)> _inFlight = new();

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Methods { get; } =
        [AcpMethods.SessionSetMode, AcpMethods.SessionSetModel, AcpMethods.SessionSetConfigOption, AcpMethods.Authenticate];

    /// <inheritdoc/>
    public bool WantsTextChunks => false;

    /// <inheritdoc/>
    public ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
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

    /// <summary>The session and choice a request makes, or null for one that names no session (or no option).</summary>
    internal static (string? SessionId, ClientChoice Choice)? Read(string method, ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
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
