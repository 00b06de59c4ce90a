namespace AcpHost.Features.Recovery;

/// <summary>
/// One choice the client made for a session and the agent accepted: the request as the client sent it, to be sent
/// again to a restarted agent.
/// </summary>
/// <param name="Method"><c>session/set_mode</c>, <c>session/set_model</c> or <c>session/set_config_option</c>.</param>
/// <param name="Key">What it sets (<c>mode</c>, <c>model</c>, or <c>config:</c> and the option's id): a later choice
/// of the same key replaces an earlier one.</param>
/// <param name="Params">The request's params, byte for byte as the client sent them.</param>
internal sealed record ClientChoice(string Method, string Key, ReadOnlyMemory<byte> Params);
