namespace AcpHost.Acp;

/// <summary>
/// The members every request that reopens or branches a session carries (<c>session/fork</c>, <c>session/resume</c>,
/// <c>session/load</c>): <c>sessionId</c>, <c>cwd</c>, and <c>mcpServers</c> as the session was opened with them
/// (an empty list when unknown, since ACP requires the member).
/// </summary>
internal static class SessionTarget
{
    /// <summary>Writes the three members into the object being written.</summary>
    public static void WriteMembers(Utf8JsonWriter writer, string sessionId, string cwd, JsonElement? mcpServers)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString("sessionId"u8, sessionId);
        writer.WriteString("cwd"u8, cwd);
        writer.WritePropertyName("mcpServers"u8);
        if (mcpServers is { ValueKind: JsonValueKind.Array } servers)
        {
            servers.WriteTo(writer);
        }
        else
        {
            writer.WriteStartArray();
            writer.WriteEndArray();
        }
    }
}
