using System.Text;
using AcpHost.Storage.Transcripts;

namespace AcpHost.Tests.Storage.Transcripts;

public sealed class TranscriptTailTests : IDisposable
{
    private const int Timeout = 10_000;

    private const string Boundary = """{"type":"system","subtype":"compact_boundary","uuid":"u1","sessionId":"s","timestamp":"2026-11-21T10:00:00.000Z","compactMetadata":{"trigger":"auto","preTokens":990012,"postTokens":2560,"durationMs":40}}""";
    private const string OldBoundary = """{"type":"system","subtype":"compact_boundary","uuid":"u0","sessionId":"s","compact_metadata":{"trigger":"manual","pre_tokens":1206,"post_tokens":2516,"duration_ms":175}}""";
    private const string Chat = """{"type":"user","message":{"role":"user","content":"let us talk about compact_boundary lines"},"uuid":"x"}""";

    private readonly string _folder = Directory.CreateTempSubdirectory("acphost-tail-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string FilePath => Path.Combine(_folder, "s.jsonl");

    private void Append(string text) => File.AppendAllText(FilePath, text, new UTF8Encoding(false));

    [Fact(Timeout = Timeout)]
    public async Task ReadNew_FileAppearsLater_ReadsItFromTheStart()
    {
        var tail = new TranscriptTail(() => File.Exists(FilePath) ? FilePath : null);
        tail.Start();
        Assert.Empty(tail.ReadNew());

        Append(Chat + "\n" + Boundary + "\n");

        TranscriptBoundary boundary = Assert.Single(tail.ReadNew());
        Assert.Equal("u1", boundary.Uuid);
        Assert.Equal(("auto", 990012L, 2560L, 40L), (boundary.Facts.Trigger, boundary.Facts.PreTokens!.Value, boundary.Facts.PostTokens!.Value, boundary.Facts.DurationMs!.Value));
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero), boundary.Timestamp);
        Assert.Empty(tail.ReadNew());
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Start_ExistingHistory_IsNotNews()
    {
        Append(OldBoundary + "\n" + Chat + "\n");
        var tail = new TranscriptTail(() => FilePath);
        tail.Start();

        Append(Boundary + "\n");

        Assert.Equal(["u1"], tail.ReadNew().Select(b => b.Uuid));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task ReadNew_LineBeingWritten_WaitsForItsEnd()
    {
        var tail = new TranscriptTail(() => FilePath);
        tail.Start();

        Append(Boundary[..50]);
        Assert.Empty(tail.ReadNew());
        Append(Boundary[50..120]);
        Assert.Empty(tail.ReadNew());
        Append(Boundary[120..] + "\n");

        Assert.Equal("u1", Assert.Single(tail.ReadNew()).Uuid);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task ReadNew_OlderSnakeCaseSpelling_IsRead()
    {
        var tail = new TranscriptTail(() => FilePath);
        tail.Start();
        Append(OldBoundary + "\n");

        TranscriptBoundary boundary = Assert.Single(tail.ReadNew());

        Assert.Equal(("manual", 1206L, 2516L, 175L), (boundary.Facts.Trigger, boundary.Facts.PreTokens!.Value, boundary.Facts.PostTokens!.Value, boundary.Facts.DurationMs!.Value));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task ReadNew_CapturedTranscriptBoundaries_AllRead()
    {
        string captured = Path.Combine(AppContext.BaseDirectory, "TestData", "agent-samples", "transcript-compact-boundaries.jsonl");
        var tail = new TranscriptTail(() => FilePath);
        tail.Start();
        Append(File.ReadAllText(captured));

        IReadOnlyList<TranscriptBoundary> boundaries = tail.ReadNew();

        Assert.Equal(4, boundaries.Count);
        Assert.All(boundaries, b => Assert.True(b.Facts.PreTokens > 0));
        Assert.Equal(["manual", "auto", "manual", "auto"], boundaries.Select(b => b.Facts.Trigger));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task ReadNew_WholeCapturedTranscriptWithoutCompaction_FindsNothing()
    {
        string captured = Path.Combine(AppContext.BaseDirectory, "TestData", "agent-samples", "transcript-sample.jsonl");
        var tail = new TranscriptTail(() => FilePath);
        tail.Start();
        Append(File.ReadAllText(captured));

        Assert.Empty(tail.ReadNew());
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task ReadNew_FileReplacedByAShorterOne_StartsOver()
    {
        var tail = new TranscriptTail(() => FilePath);
        tail.Start();
        Append(Chat + "\n" + Chat + "\n" + Chat + "\n");
        Assert.Empty(tail.ReadNew());

        File.WriteAllText(FilePath, Boundary + "\n");

        Assert.Equal("u1", Assert.Single(tail.ReadNew()).Uuid);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task TranscriptPaths_EncodesTheCwdAndFindsLongFoldersByPrefix()
    {
        Assert.Equal("-tmp-acphost-e2e-work", TranscriptPaths.EncodeCwd("/tmp/acphost-e2e/work"));
        Assert.Equal("-home-me-my-project-v2", TranscriptPaths.EncodeCwd("/home/me/my project.v2"));

        string config = Path.Combine(_folder, "claude");
        string shortCwd = "/w/short";
        Assert.Null(TranscriptPaths.Find(config, shortCwd, "s"));
        Directory.CreateDirectory(Path.Combine(config, "projects", TranscriptPaths.EncodeCwd(shortCwd)));
        Assert.Equal(Path.Combine(config, "projects", "-w-short", "s.jsonl"), TranscriptPaths.Find(config, shortCwd, "s"));

        string longCwd = "/" + string.Join('/', Enumerable.Repeat("a-rather-long-folder-name", 12));
        string cut = TranscriptPaths.EncodeCwd(longCwd)[..TranscriptPaths.MaxFolderName] + "-1a2b3c";
        Directory.CreateDirectory(Path.Combine(config, "projects", cut));
        File.WriteAllText(Path.Combine(config, "projects", cut, "s.jsonl"), "");
        Assert.Equal(Path.Combine(config, "projects", cut, "s.jsonl"), TranscriptPaths.Find(config, longCwd, "s"));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task ConfigDir_PrefersSettingThenEnvironmentThenHome()
    {
        Assert.Equal("/set", TranscriptPaths.ConfigDir("/set", _ => "/env"));
        Assert.Equal("/env", TranscriptPaths.ConfigDir(null, name => name == "CLAUDE_CONFIG_DIR" ? "/env" : "/home"));
        Assert.Equal("/home/.claude", TranscriptPaths.ConfigDir(null, name => name == "HOME" ? "/home" : null));
        await Task.CompletedTask;
    }
}
