using System.Globalization;
using System.Reflection;
using System.Text.Json;
using AcpHost.Acp;
using AcpHost.Cli;
using AcpHost.Control;
using AcpHost.Events;
using AcpHost.Telemetry;

namespace AcpHost.Tests.Events;

/// <summary>
/// A fork has one record type, <see cref="SessionForked"/>: the control plane's event carries it as it is, and the
/// client's notification, <c>watch --json</c>'s line and the OpenTelemetry record are made from it. A field added to it must reach each of them or be named on that
/// shape's list of exclusions with the reason.
/// </summary>
public class ForkFieldCoverageTests
{
    private const int Timeout = 10_000;

    private static readonly Dictionary<string, Dictionary<string, string>> Exclusions = new()
    {
        ["control"] = [],
        ["watch"] = [],
        ["telemetry"] = [],
        ["notification"] = new() { ["at"] = "the client is told as it happens; the time is the message's own" },
    };

    private static readonly Dictionary<string, string> TelemetryNamed = new()
    {
        ["sessionId"] = TelemetryNames.SessionId,
        ["parentSessionId"] = TelemetryNames.ParentSessionId,
        ["at"] = TelemetryNames.EventTimestamp,
    };

    private static readonly SessionForked Full = new()
    {
        SessionId = "s-fork",
        ParentSessionId = "s-parent",
        Reason = ForkReasons.PreCompact,
        UsedTokens = 823_412,
        ContextWindow = 1_000_000,
        At = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero),
    };

    public static TheoryData<string> Shapes => [.. Exclusions.Keys];

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(Shapes))]
    public async Task Shape_FullFork_CarriesEveryFieldOrNamesWhyNot(string shape)
    {
        await Task.Yield();
        ShapeFields.AssertCarried(
            shape,
            RecordFields(),
            Show(shape),
            Exclusions[shape],
            field => shape == "telemetry" ? TelemetryNamed.GetValueOrDefault(field) ?? ShapeFields.SnakeCase(field) : field);
    }

    /// <summary>Every public property of the event, by its camel-case name; each must be set in <see cref="Full"/>.</summary>
    private static Dictionary<string, string> RecordFields()
    {
        var fields = new Dictionary<string, string>();
        foreach (PropertyInfo property in typeof(SessionForked).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            object? value = property.GetValue(Full);
            Assert.True(value is not null, $"Set {property.Name} in {nameof(Full)}: a field left null here would not be checked in any shape.");
            string name = char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            fields[name] = value is DateTimeOffset at ? at.ToString("O", CultureInfo.InvariantCulture) : Convert.ToString(value, CultureInfo.InvariantCulture)!;
        }

        return fields;
    }

    private static Dictionary<string, string> Show(string shape) => shape switch
    {
        "control" => ShapeFields.Of(JsonSerializer.Serialize(Full, ControlJsonContext.Default.SessionForked)),
        "watch" => ShapeFields.Of(EventLine.Format(
            ControlMethods.ForkEventName, JsonSerializer.SerializeToElement(Full, ControlJsonContext.Default.SessionForked), session: null, asJson: true)!),
        "notification" => ShapeFields.Of(JsonSerializer.Serialize(SessionForkedNotification.From(Full), AcpJsonContext.Default.SessionForkedNotification)),
        "telemetry" => ShapeFields.Of(EventRecords.Fork(Full).Attributes),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, null),
    };
}
