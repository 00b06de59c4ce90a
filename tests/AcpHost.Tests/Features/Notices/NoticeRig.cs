using System.Text.Json;
using AcpHost.Acp;
using AcpHost.Features.Notices;
using AcpHost.Features.Sessions;
using AcpHost.Relay.Relay;
using AcpHost.State;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Features.Notices;

/// <summary>The notice desk wired as the host wires it, on a relay with a scripted agent: the test plays the client and the agent.</summary>
internal sealed class NoticeRig : IAsyncDisposable
{
    /// <param name="switches">The notice switches; all on by default.</param>
    /// <param name="before">A feature to run just before the hold on a turn's end, as the host's features do.</param>
    public NoticeRig(NoticeSwitches? switches = null, IMessageInterceptor? before = null)
    {
        Desk = new NoticeDesk(switches ?? NoticeSwitches.Defaults, Profile, Turns, Client, new ListLogger<NoticeDesk>());
        IMessageInterceptor[] interceptors =
        [
            new SessionTracker(new SessionRegistry(), TimeProvider.System, new ListLogger<SessionTracker>(), profile: Profile),
            new NoticeFlush(Desk),
            .. before is null ? Array.Empty<IMessageInterceptor>() : [before],
            new TurnEndHold(Desk, Profile, Turns, new ListLogger<TurnEndHold>()),
        ];
        Harness = new RelayHarness(interceptors);
        Client.Attach(Harness.Relay);
    }

    public ClientProfile Profile { get; } = new();

    public SessionTurns Turns { get; } = new();

    public ClientChannel Client { get; } = new();

    public NoticeDesk Desk { get; }

    public RelayHarness Harness { get; }

    public static HostNotice Notice(string sessionId = "s", NoticeKind? kind = null) =>
        new(sessionId, kind ?? NoticeKind.Compaction, "Context compacted", "1,206 → 2,513 tokens.");

    /// <summary>The handshake: a v1 client that declares notices or not, or a v2 one.</summary>
    public async Task InitializeAsync(bool notices, int version = 1)
    {
        string capabilities = notices ? """{"session":{"notices":{}}}""" : "{}";
        await Harness.ClientSayAsync($$$"""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":{{{version}}},"clientCapabilities":{{{capabilities}}}}}""");
        await Harness.Agent.ReadFromRelay.NextAsync();
        await Harness.Agent.SayAsync($$$"""{"jsonrpc":"2.0","id":0,"result":{"protocolVersion":{{{version}}}}}""");
        await Harness.ToClient.NextAsync();
    }

    /// <summary>The client prompts session s (id <paramref name="id"/>); the agent reads it.</summary>
    public async Task PromptAsync(int id, string sessionId = "s")
    {
        await Harness.ClientSayAsync($$$"""{"jsonrpc":"2.0","id":{{{id}}},"method":"session/prompt","params":{"sessionId":"{{{sessionId}}}","prompt":[{"type":"text","text":"hi"}]}}""");
        await Harness.Agent.ReadFromRelay.NextAsync();
    }

    public static JsonElement Parse(string line) => JsonDocument.Parse(line).RootElement.Clone();

    public static string? UpdateKind(JsonElement message) =>
        message.TryGetProperty("params", out JsonElement p) && p.TryGetProperty("update", out JsonElement u) ? u.GetProperty("sessionUpdate").GetString() : null;

    public ValueTask DisposeAsync() => Harness.DisposeAsync();
}
