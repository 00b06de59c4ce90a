namespace AcpHost.Features.Fork;

/// <summary>A fork the host is to make.</summary>
/// <param name="ParentSessionId">The session to fork.</param>
/// <param name="Reason">Why (<see cref="Events.ForkReasons"/>).</param>
/// <param name="MessageId">Root the fork at this <c>agent_message_chunk.messageId</c> instead of the end.</param>
/// <param name="Cwd">The fork's working directory; default the parent's.</param>
/// <param name="McpServers">Its MCP servers (a JSON array); default the parent's.</param>
/// <param name="Note">The user's note (<c>/fork note</c>), kept with the fork's lineage.</param>
internal sealed record ForkRequest(string ParentSessionId, string Reason, string? MessageId = null, string? Cwd = null, JsonElement? McpServers = null, string? Note = null);
