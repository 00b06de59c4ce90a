using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using AcpHost.Events;
using AcpHost.PostMortem;
using AcpHost.Storage.Ledgers;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost scan --json</c>: <c>{"rows": [...], "summary": [...], "scanned": {...}}</c> with exactly the field names
/// listed in the command's help; unknown values are null. Written field by field, so the contract is visible here.
/// </summary>
internal static class ScanJson
{
    public const string Fields =
        "rows: project, sessionId, at, trigger, preTokens, postTokens, durationMs, boundaryUuid, file, flattened; " +
        "summary: project, sessions, compactions, auto, manual, idle, medianPreTokens, maxPreTokens, totalFlattened; " +
        "scanned: files, bytes, malformedLines, seconds, unreadable [path, reason]";

    public static string Write(ScanResult scan)
    {
        return CliJson.Write(json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("rows");
            foreach (CompactionRow row in scan.Rows)
            {
                json.WriteStartObject();
                json.WriteString("project", row.Project);
                json.WriteString("sessionId", row.SessionId);
                if (row.At is { } at)
                {
                    json.WriteString("at", at.UtcDateTime);
                }
                else
                {
                    json.WriteNull("at");
                }

                json.WriteString("trigger", row.Trigger);
                CliJson.NumberOrNull(json, "preTokens", row.PreTokens);
                CliJson.NumberOrNull(json, "postTokens", row.PostTokens);
                CliJson.NumberOrNull(json, "durationMs", row.DurationMs);
                json.WriteString("boundaryUuid", row.BoundaryUuid);
                json.WriteString("file", row.File);
                CliJson.Flattened(json, row.Flattened);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("summary");
            foreach (ProjectSummary summary in scan.Summary)
            {
                json.WriteStartObject();
                json.WriteString("project", summary.Project);
                json.WriteNumber("sessions", summary.Sessions);
                json.WriteNumber("compactions", summary.Compactions);
                json.WriteNumber("auto", summary.Auto);
                json.WriteNumber("manual", summary.Manual);
                json.WriteNumber("idle", summary.Idle);
                CliJson.NumberOrNull(json, "medianPreTokens", summary.MedianPreTokens);
                CliJson.NumberOrNull(json, "maxPreTokens", summary.MaxPreTokens);
                json.WriteNumber("totalFlattened", summary.TotalFlattened);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            Scanned(json, scan);
            json.WriteEndObject();
        }, CliJson.Indented);
    }

    /// <summary>The <c>scanned</c> object every post-mortem command's JSON ends with.</summary>
    public static void Scanned(Utf8JsonWriter json, ScanResult scan)
    {
        json.WriteStartObject("scanned");
        json.WriteNumber("files", scan.Files);
        json.WriteNumber("bytes", scan.Bytes);
        json.WriteNumber("malformedLines", scan.MalformedLines);
        json.WriteNumber("seconds", Math.Round(scan.Elapsed.TotalSeconds, 3));
        json.WriteStartArray("unreadable");
        foreach (UnreadableFile file in scan.Unreadable)
        {
            json.WriteStartObject();
            json.WriteString("path", file.Path);
            json.WriteString("reason", file.Reason);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
