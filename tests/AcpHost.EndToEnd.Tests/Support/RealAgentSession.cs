using System.Text.Json;
using System.Text.Json.Nodes;
using AcpHost.EndToEnd.Tests.Fakes;

namespace AcpHost.EndToEnd.Tests.Support;

/// <summary>
/// Everything one end-to-end test needs around acphost: the fake Messages API, isolated Claude and host data folders,
/// a working folder, and the environment that makes the real agent run offline.
/// </summary>
public sealed class RealAgentSession : IAsyncDisposable
{
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _root;

    private RealAgentSession(FakeMessagesApi api, TempDirectory root, HostUnderTest host)
    {
        Api = api;
        _root = root;
        Host = host;
    }

    public FakeMessagesApi Api { get; }

    public HostUnderTest Host { get; }

    public string DataDir => Path.Combine(_root.Path, "data");

    public string ClaudeConfigDir => Path.Combine(_root.Path, "claude");

    public string WorkDir => Path.Combine(_root.Path, "work");

    public static Task<RealAgentSession> StartAsync(AgentInstall install, params string[] extraArguments) =>
        StartWithRuntimeDirAsync(install, runtimeDir: null, extraArguments);

    /// <summary>
    /// Starts a host. Its control socket goes under <paramref name="runtimeDir"/> (as <c>XDG_RUNTIME_DIR</c>), or under
    /// its own data directory when null; <see cref="Environment"/> carries the same setting for CLI calls.
    /// </summary>
    public static Task<RealAgentSession> StartWithRuntimeDirAsync(AgentInstall install, string? runtimeDir, params string[] extraArguments) =>
        StartCoreAsync(install, runtimeDir, agentEnvironment: null, extraArguments);

    /// <summary>Starts a host whose agent also gets <paramref name="agentEnvironment"/> (e.g. the agent's own switches).</summary>
    public static Task<RealAgentSession> StartWithEnvironmentAsync(AgentInstall install, IReadOnlyDictionary<string, string> agentEnvironment, params string[] extraArguments) =>
        StartCoreAsync(install, runtimeDir: null, agentEnvironment, extraArguments);

    private static async Task<RealAgentSession> StartCoreAsync(AgentInstall install, string? runtimeDir, IReadOnlyDictionary<string, string>? agentEnvironment, string[] extraArguments)
    {
        FakeMessagesApi api = await FakeMessagesApi.StartAsync();
        var root = new TempDirectory("ah");
        Directory.CreateDirectory(Path.Combine(root.Path, "work"));
        Directory.CreateDirectory(Path.Combine(root.Path, "claude"));
        var environment = new Dictionary<string, string>
        {
            ["ANTHROPIC_BASE_URL"] = api.BaseUrl.ToString().TrimEnd('/'),
            ["ANTHROPIC_API_KEY"] = "test",
            ["CLAUDE_CONFIG_DIR"] = Path.Combine(root.Path, "claude"),
            ["IS_SANDBOX"] = "1",
            ["DISABLE_AUTOUPDATER"] = "1",
            ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",
            ["ACPHOST_Agent__InstallDir"] = install.InstallDir,
            ["XDG_RUNTIME_DIR"] = runtimeDir ?? Path.Combine(root.Path, "rt"),
        };
        foreach ((string name, string value) in agentEnvironment ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        string[] arguments = ["run", "--data-dir", Path.Combine(root.Path, "data"), .. AgentInstall.VersionArguments, .. extraArguments];
        var host = HostUnderTest.Start(arguments, environment, Path.Combine(root.Path, "work"));
        return new RealAgentSession(api, root, host) { Environment = environment };
    }

    /// <summary>
    /// Starts another host on the same data, Claude and work folders and the same fake API, as an editor opened again
    /// would; the caller disposes it.
    /// </summary>
    public HostUnderTest StartNextHost() =>
        HostUnderTest.Start(["run", "--data-dir", DataDir], Environment, WorkDir);

    /// <summary>The environment the host was started with: pass it to CLI calls that must find this host.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; private init; } = new Dictionary<string, string>();

    /// <summary><c>initialize</c> with the given client capabilities; returns the result.</summary>
    public async Task<JsonElement> InitializeAsync(JsonObject? clientCapabilities = null)
    {
        JsonElement response = await Host.RequestAsync("initialize", new JsonObject
        {
            ["protocolVersion"] = 1,
            ["clientInfo"] = new JsonObject { ["name"] = "acphost-e2e", ["version"] = "1.0.0" },
            ["clientCapabilities"] = clientCapabilities ?? new JsonObject { ["fs"] = new JsonObject { ["readTextFile"] = false, ["writeTextFile"] = false }, ["terminal"] = false },
        }, StepTimeout);
        return Result(response);
    }

    /// <summary>ACP v2's <c>initialize</c> (<c>{protocolVersion: 2, info, capabilities}</c>); returns the result.</summary>
    public async Task<JsonElement> InitializeV2Async()
    {
        JsonElement response = await Host.RequestAsync("initialize", new JsonObject
        {
            ["protocolVersion"] = 2,
            ["info"] = new JsonObject { ["name"] = "acphost-e2e", ["version"] = "1.0.0" },
            ["capabilities"] = new JsonObject(),
        }, StepTimeout);
        return Result(response);
    }

    /// <summary>
    /// A v2 turn: the prompt's answer (<c>{messageId}</c>, or an error), then, for an accepted prompt, the session's
    /// <c>state_update</c> <c>idle</c> that ends it; returns that update (or the error response).
    /// </summary>
    public async Task<JsonElement> PromptV2Async(string sessionId, string text)
    {
        int from = Host.MessageCount;
        JsonElement answer = await PromptAsync(sessionId, text);
        if (!answer.TryGetProperty("result", out _))
        {
            return answer;
        }

        // After the answer: a session the agent reopens first reports its state (idle, without a stop reason) before the turn.
        int answered = Host.Messages.Select((m, i) => (m, i)).Skip(from).First(x => x.m.GetRawText() == answer.GetRawText()).i;
        JsonElement idle = await Host.WaitForAsync(m => IsUpdate(m, sessionId, "state_update") && m.GetProperty("params").GetProperty("update").GetProperty("state").GetString() == "idle", StepTimeout, answered);
        return idle.GetProperty("params").GetProperty("update");
    }

    /// <summary>True for a <c>session/update</c> of <paramref name="sessionId"/> of the given kind.</summary>
    public static bool IsUpdate(JsonElement message, string sessionId, string kind) =>
        message.TryGetProperty("method", out JsonElement method) && method.GetString() == "session/update"
        && message.GetProperty("params").GetProperty("sessionId").GetString() == sessionId
        && message.GetProperty("params").GetProperty("update").GetProperty("sessionUpdate").GetString() == kind;

    /// <summary>True for a host notice of <paramref name="kind"/> (<c>_meta.acphost.notice</c>), in either form.</summary>
    public static bool IsNotice(JsonElement message, string kind) =>
        message.TryGetProperty("method", out JsonElement method) && method.GetString() == "session/update"
        && message.GetProperty("params").GetProperty("update").TryGetProperty("_meta", out JsonElement meta)
        && meta.TryGetProperty("acphost", out JsonElement acphost) && acphost.TryGetProperty("notice", out JsonElement notice)
        && notice.GetString() == kind;

    /// <summary>The text a notice shows: a notice's title and description, or the chunk's bold-label text.</summary>
    public static string NoticeText(JsonElement message)
    {
        JsonElement update = message.GetProperty("params").GetProperty("update");
        return update.GetProperty("sessionUpdate").GetString() == "notice"
            ? update.GetProperty("title").GetString() + ": " + update.GetProperty("description").GetString()
            : update.GetProperty("content").GetProperty("text").GetString()!;
    }

    /// <summary>The client capabilities of a v1 client that shows notices (or not).</summary>
    public static JsonObject Capabilities(bool notices) => notices
        ? new JsonObject { ["fs"] = new JsonObject { ["readTextFile"] = false, ["writeTextFile"] = false }, ["terminal"] = false, ["session"] = new JsonObject { ["notices"] = new JsonObject() } }
        : new JsonObject { ["fs"] = new JsonObject { ["readTextFile"] = false, ["writeTextFile"] = false }, ["terminal"] = false };

    /// <summary>The session's transcript file (it must exist).</summary>
    public string TranscriptOf(string sessionId) =>
        Directory.GetFiles(Path.Combine(ClaudeConfigDir, "projects"), sessionId + ".jsonl", SearchOption.AllDirectories).Single();

    /// <summary><c>session/new</c> in the work folder; returns the session id.</summary>
    public async Task<string> NewSessionAsync()
    {
        JsonElement response = await Host.RequestAsync("session/new", new JsonObject { ["cwd"] = WorkDir, ["mcpServers"] = new JsonArray() }, StepTimeout);
        return Result(response).GetProperty("sessionId").GetString()!;
    }

    /// <summary>Prompts a session and returns the response (its result holds the stop reason).</summary>
    public Task<JsonElement> PromptAsync(string sessionId, string text) =>
        Host.RequestAsync("session/prompt", new JsonObject
        {
            ["sessionId"] = sessionId,
            ["prompt"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }),
        }, StepTimeout);

    /// <summary>The <c>session/update</c> payloads for a session, in order.</summary>
    public IEnumerable<JsonElement> Updates(string sessionId) =>
        Host.Messages
            .Where(m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "session/update")
            .Select(m => m.GetProperty("params"))
            .Where(p => p.GetProperty("sessionId").GetString() == sessionId)
            .Select(p => p.GetProperty("update"));

    public static JsonElement Result(JsonElement response) =>
        response.TryGetProperty("result", out JsonElement result)
            ? result
            : throw new InvalidOperationException("Expected a result, got: " + response.GetRawText());

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Api.DisposeAsync();
        _root.Dispose();
    }
}
