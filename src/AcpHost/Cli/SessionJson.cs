using AcpHost.Events;
using AcpHost.Features.Sessions;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost sessions --json</c>: an array of objects with exactly the fields sessionId, parentSessionId, forkReason,
/// cwd, createdAt, usedTokens, contextWindow and compactions, unknown values as null. Written field by field, so the
/// contract holds whatever the ledger's own format gains.
/// </summary>
internal static class SessionJson
{
    /// <summary>The JSON text (indented) for <paramref name="sessions"/>, in the order given.</summary>
    public static string Write(IEnumerable<SessionRecord> sessions) => CliJson.Array(sessions, (json, session) =>
    {
        json.WriteString("sessionId", session.SessionId);
        json.WriteString("parentSessionId", session.ParentSessionId);
        json.WriteString("forkReason", session.ForkReason);
        json.WriteString("cwd", session.Cwd);
        CliJson.TimeOrNull(json, "createdAt", session.CreatedAt);
        CliJson.NumberOrNull(json, "usedTokens", session.UsedTokens);
        CliJson.NumberOrNull(json, "contextWindow", session.ContextWindow);
        json.WriteNumber("compactions", session.Compactions);
    });
}
