using System.Text.Json.Serialization;

namespace AcpHost.Control;

/// <summary>
/// The <c>data</c> of the host's own <c>-32002</c> (unknown session) error: which session, and
/// <see cref="NotRelayed"/> as the reason. The agent answers <c>-32002</c> too (a session it cannot fork yet), passed
/// on as it came: only this reason says that the host does not relay the session.
/// </summary>
/// <param name="SessionId">The session named.</param>
/// <param name="Reason">Why: <see cref="NotRelayed"/>.</param>
internal sealed record SessionErrorData([property: JsonPropertyName("sessionId")] string SessionId, [property: JsonPropertyName("reason")] string Reason = SessionErrorData.NotRelayed)
{
    /// <summary>The host does not relay the session.</summary>
    public const string NotRelayed = "not_relayed";
}
