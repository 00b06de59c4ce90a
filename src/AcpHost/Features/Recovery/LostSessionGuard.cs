using System.Buffers;
using AcpHost.Acp;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using Microsoft.Extensions.Logging;

namespace AcpHost.Features.Recovery;

/// <summary>
/// Answers a client request that names a session lost in an agent restart with an error saying so and why, instead of
/// passing it to an agent that would only say "Resource not found". <c>session/load</c>, <c>session/resume</c> and
/// <c>session/close</c> still go to the agent: the client may try to take the session back or let it go, and the
/// session is no longer treated as lost. Notifications (a <c>session/cancel</c>) pass: there is nobody to answer.
/// </summary>
internal sealed partial class LostSessionGuard(LostSessions lost, ILogger<LostSessionGuard> log) : IMessageInterceptor
{
    /// <summary>The JSON-RPC code of the error: the agent's own for an unknown session (resource not found).</summary>
    public const int SessionLostCode = -32002;

    private static readonly string[] Reopening = [AcpMethods.SessionLoad, AcpMethods.SessionResume, AcpMethods.SessionClose];

    // Client methods that name a session in their params.
    private static readonly string[] Guarded =
    [
        AcpMethods.SessionPrompt, AcpMethods.SessionSetMode, AcpMethods.SessionSetModel, AcpMethods.SessionSetConfigOption,
        AcpMethods.SessionFork, AcpMethods.HostSessionFork,
    ];

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Methods { get; } = [.. Guarded, .. Reopening];

    /// <inheritdoc/>
    public bool WantsChunks => false;

    /// <inheritdoc/>
    public bool Wants(string method, ReadOnlyMemory<byte> line) => !lost.IsEmpty;

    /// <inheritdoc/>
    public async ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Direction == Direction.FromAgent || context.Info.Kind != MessageKind.Request || context.Info.Id is not { } id || SessionIdOf(context.Line.Span) is not { } sessionId
            || lost.ReasonFor(sessionId) is not { } reason)
        {
            return InterceptResult.Forward;
        }

        if (Reopening.Contains(context.Method))
        {
            // Whatever the agent answers, the client now deals with the session itself.
            lost.Remove(sessionId);
            return InterceptResult.Forward;
        }

        LostSessionNamed(log, context.Method, sessionId);
        var buffer = new ArrayBufferWriter<byte>(256);
        JsonRpcWriter.WriteError(buffer, id, SessionLostCode, reason, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("sessionId"u8, sessionId);
            writer.WriteString("reason"u8, "lost_in_agent_restart");
            writer.WriteEndObject();
        });
        await context.Outlet.SendToClientAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        return InterceptResult.Consume;
    }

    private static string? SessionIdOf(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, JsonDepth.Reader);
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.TryGetProperty("params"u8, out JsonElement parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("sessionId"u8, out JsonElement session) && session.ValueKind == JsonValueKind.String
            ? session.GetString()
            : null;
    }

    [LoggerMessage(EventId = 605, Level = LogLevel.Warning, Message = "{Method} named session {SessionId}, lost in an agent restart: answered with an error")]
    private static partial void LostSessionNamed(ILogger logger, string method, string sessionId);
}
