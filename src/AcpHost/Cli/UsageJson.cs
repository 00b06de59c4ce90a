using AcpHost.PostMortem;
using AcpHost.Usage;
using AcpHost.Events;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost usage --json</c>: <c>{"sessions": [...], "projects": [...], "total": {...}, "scanned": {...}}</c> with
/// exactly the field names listed in the command's help, written field by field so the contract is visible here.
/// Costs are in USD, rounded to the micro-dollar; a cold request of an unpriced model has a null extra cost.
/// </summary>
internal static class UsageJson
{
    public const string Fields =
        "sessions: project, sessionId, requests, sidechainRequests, peakContext, medianContext, tokens {input, cacheWrite5m, " +
        "cacheWrite1h, cacheRead, output}, requestsOver160k, requestsOver500k, costOver160kUsd, costOver500kUsd, costUsd, " +
        "coldRequests, coldExtraCostUsd, cold [at, reason, gapSeconds, context, cacheWrite, extraCostUsd], compactions, " +
        "unpricedModels; projects: the same sums with project and sessions, without sessionId and cold; total: the same " +
        "with sessions; scanned: files, bytes, malformedLines, seconds, unreadable [path, reason]";

    public static string Write(ScanResult scan) => CliJson.Write(
        json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("sessions");
            foreach (UsageSummary session in scan.Usage.Sessions)
            {
                Summary(json, session);
            }

            json.WriteEndArray();
            json.WriteStartArray("projects");
            foreach (UsageSummary project in scan.Usage.Projects)
            {
                Summary(json, project);
            }

            json.WriteEndArray();
            json.WritePropertyName("total");
            Summary(json, scan.Usage.Total);
            ScanJson.Scanned(json, scan);
            json.WriteEndObject();
        },
        CliJson.Indented);

    private static void Summary(Utf8JsonWriter json, UsageSummary summary)
    {
        UsageTotals totals = summary.Totals;
        json.WriteStartObject();
        if (summary.Project is { } project)
        {
            json.WriteString("project", project);
        }

        if (summary.SessionId is { } sessionId)
        {
            json.WriteString("sessionId", sessionId);
        }
        else
        {
            json.WriteNumber("sessions", summary.Sessions);
        }

        json.WriteNumber("requests", totals.Requests);
        json.WriteNumber("sidechainRequests", totals.SidechainRequests);
        json.WriteNumber("peakContext", totals.PeakContext);
        CliJson.NumberOrNull(json, "medianContext", totals.MedianContext);
        json.WriteStartObject("tokens");
        json.WriteNumber("input", totals.Tokens.Input);
        json.WriteNumber("cacheWrite5m", totals.Tokens.CacheWrite5m);
        json.WriteNumber("cacheWrite1h", totals.Tokens.CacheWrite1h);
        json.WriteNumber("cacheRead", totals.Tokens.CacheRead);
        json.WriteNumber("output", totals.Tokens.Output);
        json.WriteEndObject();
        json.WriteNumber("requestsOver160k", totals.RequestsOver160k);
        json.WriteNumber("requestsOver500k", totals.RequestsOver500k);
        json.WriteNumber("costOver160kUsd", Usd(totals.CostOver160kUsd));
        json.WriteNumber("costOver500kUsd", Usd(totals.CostOver500kUsd));
        json.WriteNumber("costUsd", Usd(totals.CostUsd));
        json.WriteNumber("coldRequests", totals.ColdRequests);
        json.WriteNumber("coldExtraCostUsd", Usd(totals.ColdExtraCostUsd));
        if (summary.SessionId is not null)
        {
            json.WriteStartArray("cold");
            foreach (ColdRequest cold in summary.Cold)
            {
                json.WriteStartObject();
                json.WriteString("at", cold.At.UtcDateTime);
                json.WriteString("reason", cold.Reason);
                json.WriteNumber("gapSeconds", Math.Round(cold.Gap.TotalSeconds, 3));
                json.WriteNumber("context", cold.Context);
                json.WriteNumber("cacheWrite", cold.CacheWrite);
                if (cold.ExtraCostUsd is { } extra)
                {
                    json.WriteNumber("extraCostUsd", Usd(extra));
                }
                else
                {
                    json.WriteNull("extraCostUsd");
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteNumber("compactions", totals.Compactions);
        json.WriteStartArray("unpricedModels");
        foreach (string model in totals.UnpricedModels)
        {
            json.WriteStringValue(model);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static double Usd(double value) => Math.Round(value, 6);
}
