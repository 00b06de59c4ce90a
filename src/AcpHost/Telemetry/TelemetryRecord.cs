namespace AcpHost.Telemetry;

/// <summary>One event as it will be exported: an OpenTelemetry log record named <see cref="EventName"/>.</summary>
/// <param name="EventName">The <c>event.name</c> (<c>acphost.compaction</c>, …).</param>
/// <param name="At">When it happened: the record's timestamp.</param>
/// <param name="Attributes">Its attributes, <c>session.id</c> first; values are strings, longs, doubles or bools.</param>
internal sealed record TelemetryRecord(string EventName, DateTimeOffset At, IReadOnlyList<KeyValuePair<string, object?>> Attributes)
{
    /// <summary>The value of one attribute, or null.</summary>
    public object? this[string name] => Attributes.FirstOrDefault(a => a.Key == name).Value;
}
