namespace AcpHost.Acp;

/// <summary>The ACP method names the host's features look at.</summary>
internal static class AcpMethods
{
    /// <summary>Client → agent: the handshake.</summary>
    public const string Initialize = "initialize";

    /// <summary>Client → agent: creates a session.</summary>
    public const string SessionNew = "session/new";

    /// <summary>Client → agent: loads a saved session, replaying it.</summary>
    public const string SessionLoad = "session/load";

    /// <summary>Client → agent: resumes a saved session without replay (unstable in ACP).</summary>
    public const string SessionResume = "session/resume";

    /// <summary>Client → agent: branches a session (unstable in ACP).</summary>
    public const string SessionFork = "session/fork";

    /// <summary>Client → agent: cancels a session's turn (a notification).</summary>
    public const string SessionCancel = "session/cancel";

    /// <summary>Client → agent: switches a session's mode.</summary>
    public const string SessionSetMode = "session/set_mode";

    /// <summary>Client → agent: switches a session's model (unstable in ACP; agents may offer it as a config option).</summary>
    public const string SessionSetModel = "session/set_model";

    /// <summary>Client → agent: sets one of a session's config options.</summary>
    public const string SessionSetConfigOption = "session/set_config_option";

    /// <summary>Client → agent: logs in with one of the agent's auth methods.</summary>
    public const string Authenticate = "authenticate";

    /// <summary>Client → agent: renames a session.</summary>
    public const string SessionSetTitle = "session/set_title";

    /// <summary>Client → agent: frees a session's resources on the agent; it stays on disk.</summary>
    public const string SessionClose = "session/close";

    /// <summary>Client → agent: deletes a session.</summary>
    public const string SessionDelete = "session/delete";

    /// <summary>Client → agent: lists the saved sessions (with their titles).</summary>
    public const string SessionList = "session/list";

    /// <summary>Client → agent: a turn.</summary>
    public const string SessionPrompt = "session/prompt";

    /// <summary>Client → host: fork a session (the host's own method, answered without the agent's help).</summary>
    public const string HostSessionFork = "_acphost/session/fork";

    /// <summary>Host → client: the agent died and was restarted.</summary>
    public const string HostAgentRestarted = "_acphost/agent_restarted";

    /// <summary>Host → client: a session was forked, whoever forked it.</summary>
    public const string HostSessionForked = "_acphost/session_forked";

    /// <summary>Host → client, after every compaction: <see cref="CompactionNotification"/>.</summary>
    public const string HostCompaction = "_acphost/compaction";

    /// <summary>Agent → client: streaming updates of a session.</summary>
    public const string SessionUpdate = "session/update";
}
