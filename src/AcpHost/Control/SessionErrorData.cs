using System.Text.Json.Serialization;

namespace AcpHost.Control;

/// <summary>The <c>data</c> of a <c>-32002</c> (unknown session) error: which session.</summary>
public sealed record SessionErrorData([property: JsonPropertyName("sessionId")] string SessionId);
