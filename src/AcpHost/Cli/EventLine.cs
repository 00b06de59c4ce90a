using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using AcpHost.Control;
using AcpHost.Events;

namespace AcpHost.Cli;

/// <summary>
/// One line of <c>acphost watch</c> for one event. For people: the local time, the kind, the session and what
/// happened, a usage event drawn as a bar. For scripts (<c>--json</c>): one compact JSON object, <c>"event"</c>
/// (<c>compaction</c>, <c>fork</c>, <c>usage</c>, or <c>dropped</c> when the host could not keep up with this watcher)
/// then exactly the event's fields, <c>at</c> in UTC.
/// </summary>
internal static class EventLine
{
    private const string Unknown = "–";
    private const int BarWidth = 20;


    /// <summary>
    /// The line for the notification <paramref name="method"/>, or null when <paramref name="session"/> filters it out or
    /// it is of a kind this version does not know. A fork matches the filter by its new session or by its parent.
    /// </summary>
    /// <exception cref="JsonException">The params are not what the event carries.</exception>
    /// <exception cref="InvalidOperationException">The notification has no params.</exception>
    public static string? Format(string method, JsonElement parameters, string? session, bool asJson)
    {
        switch (method)
        {
            case ControlMethods.CompactionEvent:
                CompactionRecord compaction = parameters.Deserialize(ControlJsonContext.Default.CompactionRecord) ?? throw Null(method);
                return !Matches(session, compaction.SessionId) ? null : asJson ? Json(compaction) : Human(compaction);
            case ControlMethods.ForkEventName:
                SessionForked fork = parameters.Deserialize(ControlJsonContext.Default.SessionForked) ?? throw Null(method);
                return !Matches(session, fork.SessionId) && !Matches(session, fork.ParentSessionId) ? null : asJson ? Json(fork) : Human(fork);
            case ControlMethods.UsageEventName:
                ContextFillChanged usage = parameters.Deserialize(ControlJsonContext.Default.ContextFillChanged) ?? throw Null(method);
                return !Matches(session, usage.SessionId) ? null : asJson ? Json(usage) : Human(usage);
            case ControlMethods.DroppedEventName:
                // Whatever the filter: the events not sent may have been of the session watched.
                EventsDropped dropped = parameters.Deserialize(ControlJsonContext.Default.EventsDropped) ?? throw Null(method);
                return asJson ? Json(dropped) : Human(dropped);
            default:
                return null;
        }
    }

    private static bool Matches(string? filter, string sessionId) => filter is null || string.Equals(filter, sessionId, StringComparison.Ordinal);

    private static JsonException Null(string method) => new($"{method} carried null params");

    private static string Human(CompactionRecord record)
    {
        string line = Start(record.At, "compaction") + $"{record.SessionId}  {record.Trigger ?? Unknown}  preTokens {Number(record.PreTokens)} → {Number(record.PostTokens)}";
        return record.DurationMs is { } ms ? line + $" ({Duration(ms)})" : line;
    }

    private static string Human(EventsDropped dropped) => Start(dropped.At, "dropped") + string.Create(
        CultureInfo.InvariantCulture,
        $"{dropped.Count:N0} event(s) were not sent: this watcher fell behind (compactions and forks are in the ledgers: acphost compactions, acphost sessions)");

    private static string Human(SessionForked fork) => Start(fork.At, "fork") + $"{fork.SessionId} from {fork.ParentSessionId} ({fork.Reason})";

    private static string Human(ContextFillChanged usage)
    {
        string start = Start(usage.At, "usage") + usage.SessionId + "  ";
        if (usage is not { UsedTokens: { } used, ContextWindow: { } size and > 0 })
        {
            return start + $"{Number(usage.UsedTokens)}/{Number(usage.ContextWindow)}";
        }

        double fraction = (double)used / size;
        int filled = (int)Math.Clamp(Math.Round(BarWidth * fraction, MidpointRounding.AwayFromZero), 0, BarWidth);
        return start + string.Create(
            CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('-', BarWidth - filled)}] {Math.Round(100 * fraction, MidpointRounding.AwayFromZero):0}%  {used:N0}/{size:N0}");
    }

    // Local time: a live view is read against the wall clock. The kind is padded so that sessions line up.
    private static string Start(DateTimeOffset at, string kind) =>
        at.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture) + " " + kind.PadRight(12);

    private static string Number(long? value) => value is { } number ? number.ToString("N0", CultureInfo.InvariantCulture) : Unknown;

    private static string Duration(long milliseconds) => milliseconds < 1000
        ? string.Create(CultureInfo.InvariantCulture, $"{milliseconds} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1000.0:N1} s");

    // Exactly the fields of acphost compactions --json (boundaryUuid stays behind).
    private static string Json(CompactionRecord record) => Json("compaction", json => CompactionJson.WriteFields(json, record));

    private static string Json(SessionForked fork) => Json("fork", json =>
    {
        json.WriteString("sessionId", fork.SessionId);
        json.WriteString("parentSessionId", fork.ParentSessionId);
        json.WriteString("reason", fork.Reason);
        CliJson.NumberOrNull(json, "usedTokens", fork.UsedTokens);
        CliJson.NumberOrNull(json, "contextWindow", fork.ContextWindow);
        json.WriteString("at", fork.At.UtcDateTime);
    });

    private static string Json(EventsDropped dropped) => Json("dropped", json =>
    {
        json.WriteNumber("count", dropped.Count);
        json.WriteString("at", dropped.At.UtcDateTime);
    });

    private static string Json(ContextFillChanged usage) => Json("usage", json =>
    {
        json.WriteString("sessionId", usage.SessionId);
        CliJson.NumberOrNull(json, "usedTokens", usage.UsedTokens);
        CliJson.NumberOrNull(json, "contextWindow", usage.ContextWindow);
        json.WriteString("at", usage.At.UtcDateTime);
    });

    private static string Json(string kind, Action<Utf8JsonWriter> writeFields) => CliJson.Write(
        json =>
        {
            json.WriteStartObject();
            json.WriteString("event", kind);
            writeFields(json);
            json.WriteEndObject();
        },
        CliJson.Compact);
}
