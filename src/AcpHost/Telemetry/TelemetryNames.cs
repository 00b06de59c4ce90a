namespace AcpHost.Telemetry;

/// <summary>
/// Every name the host exports, in one place. Attributes that mean what Claude Code's own telemetry means use its
/// names (<c>session.id</c>, <c>trigger</c>, <c>pre_tokens</c>, <c>post_tokens</c>, <c>duration_ms</c>), so the two
/// streams join on <c>session.id</c>; docs/telemetry.md maps the rest.
/// </summary>
internal static class TelemetryNames
{
    /// <summary>The meter and the logger's scope.</summary>
    public const string Scope = "acphost";

    /// <summary>Default <c>service.name</c> (<c>OTEL_SERVICE_NAME</c> overrides it).</summary>
    public const string ServiceName = "acphost";

    public const string CompactionEvent = "acphost.compaction";
    public const string ForkEvent = "acphost.session.fork";
    public const string RestartEvent = "acphost.agent.restart";
    public const string OpenEvent = "acphost.session.open";
    public const string CacheColdEvent = "acphost.cache.cold";

    public const string EventName = "event.name";
    public const string EventTimestamp = "event.timestamp";
    public const string SessionId = "session.id";
    public const string ParentSessionId = "parent.session.id";
    public const string Trigger = "trigger";
    public const string PreTokens = "pre_tokens";
    public const string PostTokens = "post_tokens";
    public const string DurationMs = "duration_ms";
    public const string ContextWindow = "context_window";
    public const string Source = "source";
    public const string CompactionId = "id";
    public const string BoundaryUuid = "boundary_uuid";

    /// <summary>Before <c>files</c>, <c>commands</c>, <c>urls</c>, <c>toolErrors</c>, then <c>.seen</c>, <c>.dropped</c>, <c>.names</c>.</summary>
    public const string FlattenedPrefix = "flattened.";
    public const string Reason = "reason";
    public const string UsedTokens = "used_tokens";
    public const string ContextFill = "context_fill";
    public const string Attempt = "attempt";
    public const string ExitCode = "exit_code";
    public const string SessionsResumed = "sessions_resumed";
    public const string SessionsLost = "sessions_lost";
    public const string OpenedBy = "opened_by";
    public const string Cwd = "cwd";
    public const string CwdHash = "cwd.sha256";
    public const string Direction = "direction";
    public const string GapSeconds = "gap_s";
    public const string ContextTokens = "context_tokens";
    public const string CacheWriteTokens = "cache_write_tokens";
    public const string ExtraCostUsd = "extra_cost_usd";
    public const string Model = "model";

    public const string CompactionCount = "acphost.compaction.count";
    public const string TokensFlattened = "acphost.compaction.tokens_flattened";
    public const string PreTokensHistogram = "acphost.compaction.pre_tokens";
    public const string ForkCount = "acphost.session.fork.count";
    public const string RestartCount = "acphost.agent.restart.count";
    public const string ContextFillGauge = "acphost.session.context_fill";
    public const string CacheColdTokens = "acphost.cache.cold.tokens";
    public const string RelayMessages = "acphost.relay.messages";
    public const string RelayBytes = "acphost.relay.bytes";

    public const string ClientToAgent = "client_to_agent";
    public const string AgentToClient = "agent_to_client";

    public const string AgentPackage = "acphost.agent.package";
    public const string AgentVersion = "acphost.agent.version";

    /// <summary>Buckets of the pre-compaction histogram: 1k to 1M tokens, finer where windows end (200k, 1M).</summary>
    public static readonly double[] PreTokenBuckets =
        [1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 75_000, 100_000, 125_000, 150_000, 175_000, 200_000, 300_000, 500_000, 750_000, 1_000_000];
}
