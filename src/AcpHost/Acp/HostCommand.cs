using System.Text.Json.Nodes;

namespace AcpHost.Acp;

/// <summary>
/// A slash command the host offers and answers itself, as it appears in the agent's command list
/// (<c>available_commands_update</c>, and in ACP v2 also the results of <c>session/new</c>, <c>session/resume</c> and
/// <c>session/fork</c>). <see cref="All"/> is the table of them.
/// </summary>
/// <param name="Name">The name, without the slash.</param>
/// <param name="Description">What it does, as the client lists it.</param>
/// <param name="Hint">The hint for its free-text input, or null when it takes none.</param>
/// <param name="YieldsToAgent">
/// True when a command of the same name offered by the agent wins (the host's is then neither offered nor answered);
/// false when the host's takes the agent's place (<c>/fork</c>, whose lineage only the host keeps).
/// </param>
internal sealed record HostCommand(string Name, string Description, string? Hint, bool YieldsToAgent)
{
    /// <summary><c>/fork [note]</c>.</summary>
    public static readonly HostCommand Fork = new(
        "fork", "Fork this session: a new session holding its history as the model has it now (AcpHost)", "optional note", YieldsToAgent: false);

    /// <summary><c>/forks</c>.</summary>
    public static readonly HostCommand Forks = new(
        "forks", "This session's forks: parent, children, why and when each was taken, and how to open one (AcpHost)", null, YieldsToAgent: true);

    /// <summary><c>/compactions</c>.</summary>
    public static readonly HostCommand Compactions = new(
        "compactions", "This session's compactions, newest first, with the fork taken before each (AcpHost)", null, YieldsToAgent: true);

    /// <summary>Every command the host offers.</summary>
    public static IReadOnlyList<HostCommand> All { get; } = [Fork, Forks, Compactions];

    /// <summary>The command as a list entry: v1 <c>{name, description, input?: {hint}}</c>, v2 adds the <c>type</c> tags.</summary>
    public JsonObject ToEntry(bool v2)
    {
        var entry = new JsonObject();
        if (v2)
        {
            entry["type"] = "command";
        }

        entry["name"] = Name;
        entry["description"] = Description;
        if (Hint is not null)
        {
            JsonObject input = v2 ? new JsonObject { ["type"] = "text" } : [];
            input["hint"] = Hint;
            entry["input"] = input;
        }

        return entry;
    }

    /// <summary>
    /// Adds the host's commands to the agent's <paramref name="commands"/> (each at the end, in table order): one the
    /// agent offers too either yields (it is left out) or takes the agent's entry's place (<see cref="YieldsToAgent"/>).
    /// True when the list changed; a list that already holds the host's entries is left as it is.
    /// </summary>
    public static bool MergeInto(JsonArray commands, bool v2)
    {
        ArgumentNullException.ThrowIfNull(commands);
        bool changed = false;
        foreach (HostCommand command in All)
        {
            List<JsonNode?> named = [.. commands.Where(c => TextOf(c, "name") == command.Name)];
            if (named.Any(c => TextOf(c, "description") == command.Description))
            {
                continue;
            }

            if (named.Count > 0 && command.YieldsToAgent)
            {
                continue;
            }

            named.ForEach(c => commands.Remove(c));
            JsonNode entry = command.ToEntry(v2);
            commands.Add(entry);
            changed = true;
        }

        return changed;
    }

    /// <summary>The names among <paramref name="commands"/> of host commands that yield to an agent command of that name.</summary>
    public static IReadOnlySet<string> YieldedIn(JsonArray commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        return All.Where(command => command.YieldsToAgent
                && commands.Any(c => TextOf(c, "name") == command.Name && TextOf(c, "description") != command.Description))
            .Select(command => command.Name)
            .ToHashSet(StringComparer.Ordinal);
    }

    private static string? TextOf(JsonNode? command, string member) =>
        command is JsonObject entry && entry[member] is JsonValue value && value.TryGetValue(out string? text) ? text : null;
}
