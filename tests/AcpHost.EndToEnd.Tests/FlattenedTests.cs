using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using AcpHost.EndToEnd.Tests.Fakes;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>
/// What a compaction flattened, with the real agent: the model (the fake) reads three files with the agent's own
/// <c>Read</c> tool, then five newer ones the agent re-attaches after <c>/compact</c>, whose summary names only one of
/// the first three; the notice, the ledger and <c>/compactions</c> list the other two, and say where the replaced
/// turns still are.
/// </summary>
[Collection(RealAgentCollection.Name)]
public class FlattenedTests(AgentInstall install)
{
    private const int Timeout = 240_000;

    [Fact(Timeout = Timeout)]
    public async Task ManualCompact_SummaryNamesOneOfThreeOlderFiles_NoticeLedgerAndCompactionsListTheOtherTwo()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeAsync(RealAgentSession.Capabilities(notices: true));
        string sessionId = await session.NewSessionAsync();
        Directory.CreateDirectory(Path.Combine(session.WorkDir, "src"));
        string[] files = [Path.Combine(session.WorkDir, "src", "alpha.txt"), Path.Combine(session.WorkDir, "src", "beta.txt"), Path.Combine(session.WorkDir, "gamma.md")];

        // After the summary the agent re-attaches the 5 files it read with the newest modification time (still in
        // context: kept). Five recent notes take those places; alpha, beta and gamma are older, so only the summary
        // can keep them, and it names alpha alone.
        string[] notes = [.. Enumerable.Range(1, 5).Select(i => Path.Combine(session.WorkDir, $"note{i}.txt"))];
        foreach (string file in files.Concat(notes))
        {
            await File.WriteAllTextAsync(file, "contents of " + Path.GetFileName(file) + "\n");
        }

        foreach (string file in files)
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-1));
        }

        var script = new FakeToolScript("read the files", [.. files.Concat(notes).Select(f => ("Read", new JsonObject { ["file_path"] = f }))]);
        session.Api.ToolScript = script;
        session.Api.SummaryText = "The user asked to read some files; src/alpha.txt says hello. Nothing else matters.";
        await session.PromptAsync(sessionId, "Please read the files");
        Assert.Equal(8, script.Sent);

        int from = session.Host.MessageCount;
        await session.PromptAsync(sessionId, "/compact");
        JsonElement notice = await session.Host.WaitForAsync(m => RealAgentSession.IsNotice(m, "compaction"), TimeSpan.FromSeconds(60), from);
        string told = RealAgentSession.NoticeText(notice);
        Assert.Contains("The summary no longer names 2 of 8 files you worked with: ", told, StringComparison.Ordinal);
        Assert.Contains("src/beta.txt", told, StringComparison.Ordinal);
        Assert.Contains("gamma.md", told, StringComparison.Ordinal);
        Assert.DoesNotContain("alpha.txt", told, StringComparison.Ordinal);
        Assert.Contains($"they are still in the transcript {session.TranscriptOf(sessionId)}, lines ", told, StringComparison.Ordinal);

        // The ledger: the record, or a later line under its id, carries the flattened part.
        JsonElement flattened = await LedgerFlattenedAsync(session);
        JsonElement filesPart = flattened.GetProperty("files");
        Assert.Equal(8, filesPart.GetProperty("seen").GetInt32());
        Assert.Equal(2, filesPart.GetProperty("dropped").GetInt32());
        Assert.Equal(new[] { files[1], files[2] }.Order(StringComparer.Ordinal), filesPart.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal("marked", flattened.GetProperty("summary").GetString());

        int before = session.Host.MessageCount;
        await session.PromptAsync(sessionId, "/compactions");
        string compactions = string.Join('\n', session.Host.Messages.Skip(before)
            .Where(m => RealAgentSession.IsUpdate(m, sessionId, "agent_message_chunk"))
            .Select(m => m.GetProperty("params").GetProperty("update").GetProperty("content").GetProperty("text").GetString()));
        Assert.Contains("  - The summary no longer names 2 of 8 files you worked with: ", compactions, StringComparison.Ordinal);
        Assert.Contains("src/beta.txt", compactions, StringComparison.Ordinal);
        StdoutAssert.OnlyJsonRpc(session.Host.StdoutLines);
    }

    private static async Task<JsonElement> LedgerFlattenedAsync(RealAgentSession session)
    {
        string ledger = Path.Combine(session.DataDir, "ledger", "compactions.jsonl");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (File.Exists(ledger))
            {
                foreach (string line in await File.ReadAllLinesAsync(ledger))
                {
                    using JsonDocument document = JsonDocument.Parse(line);
                    if (document.RootElement.TryGetProperty("flattened", out JsonElement flattened) && flattened.ValueKind == JsonValueKind.Object)
                    {
                        return flattened.Clone();
                    }
                }
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "no ledger line carries the flattened part");
            await Task.Delay(200);
        }
    }
}
