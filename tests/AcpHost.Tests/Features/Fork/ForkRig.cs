using System.Text.Json;
using AcpHost.Features.Commands;
using AcpHost.Features.Fork;
using AcpHost.Features.Notices;
using AcpHost.Features.Sessions;
using AcpHost.Relay.Relay;
using AcpHost.State;
using AcpHost.Storage.Ledgers;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Options;

namespace AcpHost.Tests.Features.Fork;

/// <summary>
/// The fork features wired as the host wires them (same interceptor order), on a relay with a scripted agent: the
/// test plays the client and the agent.
/// </summary>
internal sealed class ForkRig : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("acphost-fork-").FullName;

    public ForkRig(double? forkBeforeCompact = null, TimeSpan? holdTimeout = null, bool notices = false)
    {
        Desk = notices ? new NoticeDesk(NoticeSwitches.Defaults, Profile, new SessionTurns(), Client, new ListLogger<NoticeDesk>()) : null;
        Gate = new SessionGate(Client, new ListLogger<SessionGate>(), (method, session, outlet) => ClosedForks!.BeforeHold(method, session, outlet), holdTimeout);
        ClosedForks = new ClosedForks(Sessions, Gate, new ListLogger<ClosedForks>());
        Announcer = new ForkAnnouncer(Sessions, new ListLogger<ForkAnnouncer>());
        Forks = new ForkService(Sessions, TimeProvider.System, Announcer, ClosedForks);
        ForkService forks = Forks;
        Lineage = new LineageRecorder(Sessions, new SessionLedger(_folder), TimeProvider.System, new ListLogger<LineageRecorder>());
        Assert.True(Lineage.StartAsync(CancellationToken.None).IsCompletedSuccessfully, "starting the loop must not wait on it");
        PreCompact = new PreCompactFork(forks, Sessions, Gate, Client, Options.Create(new ForkOptions { BeforeCompactPercent = forkBeforeCompact }), PreCompactLog, Desk, Turns);
        IMessageInterceptor[] interceptors =
        [
            ClosedForks,
            new SessionTracker(Sessions, TimeProvider.System, new ListLogger<SessionTracker>(), profile: Profile),
            Gate,
            new ForkCommand(forks, new ListLogger<ForkCommand>(), Profile),
            new ForkMethod(forks),
            PreCompact,
            new CommandList(Profile, new AgentCommandNames()),
            Announcer,
        ];
        Harness = new RelayHarness(interceptors);
        Client.Attach(Harness.Relay);
    }

    public SessionRegistry Sessions { get; } = new();

    public ClientProfile Profile { get; } = new();

    /// <summary>Where the features' notices go, when the rig was made with them.</summary>
    public NoticeDesk? Desk { get; }

    /// <summary>The turns as the host shares them: the agent recovery voids them when a new agent takes over.</summary>
    public SessionTurns Turns { get; } = new();

    public ClientChannel Client { get; } = new();

    public SessionGate Gate { get; }

    public ClosedForks ClosedForks { get; }

    public ForkAnnouncer Announcer { get; }

    public ForkService Forks { get; }

    public PreCompactFork PreCompact { get; }

    public ListLogger<PreCompactFork> PreCompactLog { get; } = new();

    public LineageRecorder Lineage { get; }

    public RelayHarness Harness { get; }

    public string Folder => _folder;

    public static JsonElement Parse(string line) => JsonDocument.Parse(line).RootElement.Clone();

    public async ValueTask DisposeAsync()
    {
        await Harness.DisposeAsync();
        PreCompact.Dispose();
        await Lineage.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The client's initialize, answered by an agent that offers session/close and session/resume (or not).</summary>
    public async Task InitializeAsync(bool agentCloses = true, bool clientShowsNotices = false)
    {
        await Harness.ClientSayAsync(clientShowsNotices
            ? """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":1,"clientCapabilities":{"session":{"notices":{}}}}}"""
            : """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":1}}""");
        await Harness.Agent.ReadFromRelay.NextAsync();
        string capabilities = agentCloses ? """{"close":{},"fork":{},"resume":{}}""" : """{"fork":{}}""";
        await Harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":0,"result":{"protocolVersion":1,"agentCapabilities":{"sessionCapabilities":""" + capabilities + "}}}");
        await Harness.ToClient.NextAsync();
    }

    public async Task OpenSessionAsync(string sessionId = "parent")
    {
        await Harness.ClientSayAsync("""{"jsonrpc":"2.0","id":"new","method":"session/new","params":{"cwd":"/work","mcpServers":[{"name":"files","command":"mcp-files","args":[],"env":[]}]}}""");
        await Harness.Agent.ReadFromRelay.NextAsync();
        await Harness.Agent.SayAsync($$$"""{"jsonrpc":"2.0","id":"new","result":{"sessionId":"{{{sessionId}}}"}}""");
        await Harness.ToClient.NextAsync();
    }

    /// <summary>The agent reads the host's next request, checks its method, and returns it.</summary>
    public async Task<JsonElement> AgentReadsHostRequestAsync(string method)
    {
        JsonElement request = Parse(await Harness.Agent.ReadFromRelay.NextAsync());
        Assert.Equal(method, request.GetProperty("method").GetString());
        Assert.StartsWith("acphost:", request.GetProperty("id").GetString(), StringComparison.Ordinal);
        return request;
    }

    /// <summary>The agent answers a host request (by the request's id) with <paramref name="resultJson"/>.</summary>
    public Task AgentAnswersAsync(JsonElement request, string resultJson) =>
        Harness.Agent.SayAsync("{\"jsonrpc\":\"2.0\",\"id\":\"" + request.GetProperty("id").GetString() + "\",\"result\":" + resultJson + "}");

    /// <summary>Plays the agent's side of one session/fork: answers with <paramref name="child"/>; returns the params.</summary>
    public async Task<JsonElement> AgentForksAsync(string child)
    {
        JsonElement request = await AgentReadsHostRequestAsync("session/fork");
        await AgentAnswersAsync(request, "{\"sessionId\":\"" + child + "\",\"modes\":{\"currentModeId\":\"default\"}}");
        return request.GetProperty("params");
    }

    public async Task<List<JsonElement>> ClientReadsAsync(int count)
    {
        var messages = new List<JsonElement>();
        for (int i = 0; i < count; i++)
        {
            messages.Add(Parse(await Harness.ToClient.NextAsync()));
        }

        return messages;
    }

    public static string? MethodOf(JsonElement message) =>
        message.TryGetProperty("method", out JsonElement method) ? method.GetString() : null;
}
