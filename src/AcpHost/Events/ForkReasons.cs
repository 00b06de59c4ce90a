namespace AcpHost.Events;

/// <summary>Why a session was forked, as lineage and <c>_acphost/session_forked</c> say it.</summary>
internal static class ForkReasons
{
    /// <summary>The client asked: ACP's <c>session/fork</c> or the host's <c>_acphost/session/fork</c>.</summary>
    public const string Client = "client";

    /// <summary>The <c>/fork</c> slash command.</summary>
    public const string Command = "command";

    /// <summary>The host, just before auto-compact would flatten the session.</summary>
    public const string PreCompact = "pre-compact";

    /// <summary>A program outside the editor, through the host's control endpoint.</summary>
    public const string Control = "control";
}
