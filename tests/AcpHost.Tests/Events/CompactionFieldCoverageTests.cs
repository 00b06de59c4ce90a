using System.Reflection;
using System.Text.Json;
using AcpHost.Acp;
using AcpHost.Cli;
using AcpHost.Control;
using AcpHost.Events;
using AcpHost.Storage.Ledgers;
using AcpHost.Telemetry;

namespace AcpHost.Tests.Events;

/// <summary>
/// A compaction has one record type, <see cref="CompactionRecord"/>, and every shape the host shows it in is made from
/// it. A field added to the record must reach each shape with its value, or be named on that shape's list of
/// exclusions with the reason: this fails for the field nobody carried over.
/// </summary>
public class CompactionFieldCoverageTests
{
    private const int Timeout = 10_000;

    /// <summary>What each shape leaves out on purpose, and why.</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> Exclusions = new()
    {
        ["ledger"] = [],
        ["control"] = [],
        ["telemetry"] = new()
        {
            ["flattened"] = "exported as counts per kind (flattened.<kind>.seen/.dropped, the names only with IncludeCwd): TelemetryExportTests.Handle_CompactionWithFlattened_…",
        },
        ["notification"] = new()
        {
            ["flattened"] = "the client reads it in the compaction notice's text (CompactionNoticeText), made from this record",
            ["at"] = "the client is told as it happens; the time is the message's own",
            ["source"] = "which signal reported it first is the host's bookkeeping, not the user's news",
            ["boundaryUuid"] = "ties the record to the transcript for the host's own readers",
        },
        ["cli"] = new()
        {
            ["boundaryUuid"] = "the documented contract of compactions --json has exactly nine fields",
        },
        ["watch"] = new()
        {
            ["boundaryUuid"] = "watch --json prints a compaction as compactions --json does",
        },
    };

    /// <summary>Where a shape names a field differently from the record.</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> Renamed = new()
    {
        ["notification"] = new() { ["id"] = "compactionId" },
        ["telemetry"] = new() { ["sessionId"] = TelemetryNames.SessionId, ["at"] = TelemetryNames.EventTimestamp },
    };

    private static readonly CompactionRecord Full = new()
    {
        Id = "cmp-coverage",
        SessionId = "s-coverage",
        Trigger = CompactionTriggers.Idle,
        PreTokens = 823_412,
        PostTokens = 12_104,
        DurationMs = 4_100,
        ContextWindow = 1_000_000,
        At = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero),
        Source = CompactionSources.ToolCall,
        BoundaryUuid = "b-coverage",
        Flattened = new FlattenedSpecifics
        {
            Files = new() { Seen = 3, Dropped = 1, Items = [new() { Name = "src/beta.txt", Uses = 2 }] },
            Commands = new() { Seen = 1, Dropped = 1, Items = [new() { Name = "ls -la", Uses = 1 }] },
            Urls = FlattenedKind.None,
            ToolErrors = new() { Seen = 1, Dropped = 0, Items = [] },
            Summary = FlattenedSpecifics.Marked,
            Transcript = "/home/u/.claude/projects/p/s-coverage.jsonl",
            FromLine = 1,
            ToLine = 58,
        },
    };

    public static TheoryData<string> Shapes => [.. Exclusions.Keys];

    [Fact(Timeout = Timeout)]
    public async Task Full_EveryFieldOfTheRecordIsSet_SoEachShapeIsCheckedForIt()
    {
        await Task.Yield();
        foreach (PropertyInfo property in typeof(CompactionRecord).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            Assert.True(property.GetValue(Full) is not null, $"Set {property.Name} in {nameof(Full)}: a field left null here would not be checked in any shape.");
        }
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(Shapes))]
    public async Task Shape_FullRecord_CarriesEveryFieldOrNamesWhyNot(string shape)
    {
        await Task.Yield();
        Dictionary<string, string> record = ShapeFields.Of(JsonSerializer.Serialize(Full, LedgerJsonContext.Default.CompactionRecord));
        Assert.Equal(typeof(CompactionRecord).GetProperties(BindingFlags.Public | BindingFlags.Instance).Length, record.Count);
        Dictionary<string, string> renamed = Renamed.GetValueOrDefault(shape) ?? [];
        ShapeFields.AssertCarried(
            shape,
            record,
            Show(shape),
            Exclusions[shape],
            field => renamed.GetValueOrDefault(field) ?? (shape == "telemetry" ? ShapeFields.SnakeCase(field) : field));
    }

    private static Dictionary<string, string> Show(string shape) => shape switch
    {
        "ledger" => ShapeFields.Of(JsonSerializer.Serialize(Full, LedgerJsonContext.Default.CompactionRecord)),
        "control" => ShapeFields.Of(JsonSerializer.Serialize(Full, ControlJsonContext.Default.CompactionRecord)),
        "notification" => ShapeFields.Of(JsonSerializer.Serialize(CompactionNotification.From(Full), AcpJsonContext.Default.CompactionNotification)),
        "cli" => ShapeFields.Of(JsonDocument.Parse(CompactionJson.Write([Full])).RootElement[0].GetRawText()),
        "watch" => ShapeFields.Of(EventLine.Format(
            ControlMethods.CompactionEvent, JsonSerializer.SerializeToElement(Full, ControlJsonContext.Default.CompactionRecord), session: null, asJson: true)!),
        "telemetry" => ShapeFields.Of(EventRecords.Compaction(Full).Attributes),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, null),
    };
}
