namespace AcpHost.EndToEnd.Tests.Fakes;

/// <summary>One HTTP request received by <see cref="FakeMessagesApi"/>, recorded in arrival order.</summary>
/// <param name="Method">HTTP method, e.g. <c>POST</c>.</param>
/// <param name="Path">Request path without the query string, e.g. <c>/v1/messages</c>.</param>
/// <param name="Query">Query string including the leading <c>?</c>, or empty.</param>
/// <param name="Kind">How the fake classified (and therefore answered) the request.</param>
/// <param name="LastUserText">
/// Text of the last <c>user</c> message in a Messages request (its text blocks joined by a newline), or <see langword="null"/>
/// when the request had no body or no user message. On a session's first turn (and the first turn after a compaction) the agent
/// puts <c>&lt;system-reminder&gt;</c> blocks before the prompt, so match the prompt with <c>EndsWith</c> or <c>Contains</c>.
/// </param>
/// <param name="Model">The <c>model</c> field of a Messages request, or <see langword="null"/>.</param>
/// <param name="Streaming">Whether the request asked for <c>"stream": true</c>.</param>
/// <param name="ReportedInputTokens">The <c>usage.input_tokens</c> (or <c>input_tokens</c>) value the fake answered with; 0 for <see cref="FakeApiRequestKind.Other"/>.</param>
/// <param name="Headers">Request headers (names lower-cased, repeated values joined with a comma).</param>
/// <param name="Body">The raw request body (UTF-8), empty when there was none.</param>
public sealed record FakeApiRequest(
    string Method,
    string Path,
    string Query,
    FakeApiRequestKind Kind,
    string? LastUserText,
    string? Model,
    bool Streaming,
    long ReportedInputTokens,
    IReadOnlyDictionary<string, string> Headers,
    string Body);
