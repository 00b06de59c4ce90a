using AcpHost.Acp;
using AcpHost.Relay.Protocol;

namespace AcpHost.Features.Recovery;

/// <summary>
/// A reopened session's mode and config options as the agent last said them: first from its <c>session/resume</c> or
/// <c>session/load</c> answer, then from each replayed choice it accepted. What the client is told when a choice could
/// not be restored.
/// </summary>
internal sealed class AgentSessionState
{
    public AgentSessionState(JsonElement? reopened)
    {
        if (reopened is not { ValueKind: JsonValueKind.Object } result)
        {
            return;
        }

        if (result.TryGetProperty("modes"u8, out JsonElement modes) && modes.ValueKind == JsonValueKind.Object
            && modes.TryGetProperty("currentModeId"u8, out JsonElement current) && current.ValueKind == JsonValueKind.String)
        {
            CurrentModeId = current.GetString();
        }

        if (result.TryGetProperty("configOptions"u8, out JsonElement options) && options.ValueKind == JsonValueKind.Array)
        {
            ConfigOptions = options.Clone();
        }
    }

    /// <summary>The agent's current mode, if it has modes.</summary>
    public string? CurrentModeId { get; private set; }

    /// <summary>The agent's config options (the whole list, as it sends them), if it has any.</summary>
    public JsonElement? ConfigOptions { get; private set; }

    /// <summary>Takes in a choice the agent accepted and its answer.</summary>
    public void Accepted(ClientChoice choice, JsonElement? answer)
    {
        if (choice.Method == AcpMethods.SessionSetMode)
        {
            var reader = new Utf8JsonReader(choice.Params.Span, JsonDepth.Reader);
            using JsonDocument parameters = JsonDocument.ParseValue(ref reader);
            if (parameters.RootElement.TryGetProperty("modeId"u8, out JsonElement mode) && mode.ValueKind == JsonValueKind.String)
            {
                CurrentModeId = mode.GetString();
            }
        }

        if (answer is { ValueKind: JsonValueKind.Object } result && result.TryGetProperty("configOptions"u8, out JsonElement options) && options.ValueKind == JsonValueKind.Array)
        {
            ConfigOptions = options.Clone();
            if (ModeOption(options) is { } mode)
            {
                CurrentModeId = mode;
            }
        }
    }

    /// <summary>The current value of the option in category <c>mode</c>: config options and modes are one state.</summary>
    private static string? ModeOption(JsonElement options)
    {
        foreach (JsonElement option in options.EnumerateArray())
        {
            if (option.ValueKind == JsonValueKind.Object
                && option.TryGetProperty("category"u8, out JsonElement category) && category.ValueEquals("mode"u8)
                && option.TryGetProperty("currentValue"u8, out JsonElement value) && value.ValueKind == JsonValueKind.String)
            {
                return value.GetString();
            }
        }

        return null;
    }
}
