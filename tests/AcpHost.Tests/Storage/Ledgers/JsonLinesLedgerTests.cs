using System.Text.Json.Serialization;
using AcpHost.Storage.Ledgers;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Storage.Ledgers;

// What the generic store adds beyond the compaction ledger's tests (CompactionLedgerTests cover the file mechanics
// through it, including two processes at once): its schema hooks and its lock.
public sealed partial class JsonLinesLedgerTests : IDisposable
{
    private const int Timeout = 15_000;

    private static readonly LedgerSchema<Note> Notes = new()
    {
        TypeInfo = NoteJsonContext.Default.Note,
        IdOf = static note => note.Id,
        Merge = static (earlier, later) => earlier with { Text = earlier.Text + later.Text },
        Order = static (a, b) => string.CompareOrdinal(b.Id, a.Id),
        IsComplete = static note => note.Text != "incomplete",
    };

    private readonly string _folder = Directory.CreateTempSubdirectory("acphost-jsonlines-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private JsonLinesLedger<Note> Ledger() => new(Path.Combine(_folder, "deep", "notes.jsonl"), Notes);

    [Fact(Timeout = Timeout)]
    public async Task Read_LinesWithOneId_AreMergedInFileOrderAndSortedBySchema()
    {
        JsonLinesLedger<Note> ledger = Ledger();
        await ledger.AppendAsync(new Note("a", "1"), CancellationToken.None);
        await ledger.AppendAsync(new Note("b", "x"), CancellationToken.None);
        await ledger.AppendAsync(new Note("a", "2"), CancellationToken.None);
        await ledger.AppendAsync(new Note("a", "3"), CancellationToken.None);

        LedgerReadResult<Note> result = ledger.Read();

        Assert.Equal([new Note("b", "x"), new Note("a", "123")], result.Records);
        Assert.Equal(0, result.SkippedLines);
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_LineTheSchemaCallsIncomplete_IsSkippedAndCounted()
    {
        JsonLinesLedger<Note> ledger = Ledger();
        await ledger.AppendAsync(new Note("a", "1"), CancellationToken.None);
        await File.AppendAllTextAsync(ledger.FilePath, """{"id":"b","text":"incomplete"}""" + "\n" + """{"id":"","text":"no id"}""" + "\n");

        LedgerReadResult<Note> result = ledger.Read();

        Assert.Equal([new Note("a", "1")], result.Records);
        Assert.Equal(2, result.SkippedLines);
    }

    [Theory(Timeout = Timeout)]
    [InlineData("")]
    [InlineData("incomplete")]
    public async Task AppendAsync_RecordThatWouldNotReadBack_ThrowsAndWritesNothing(string idOrText)
    {
        JsonLinesLedger<Note> ledger = Ledger();
        Note note = idOrText.Length == 0 ? new Note("", "text") : new Note("a", idOrText);

        await Assert.ThrowsAsync<ArgumentException>(() => ledger.AppendAsync(note, CancellationToken.None));

        Assert.False(File.Exists(ledger.FilePath));
    }

    [Fact(Timeout = Timeout)]
    public async Task Ctor_IndentingFormat_Throws()
    {
        LedgerSchema<Note> indented = new()
        {
            TypeInfo = IndentedNoteJsonContext.Default.Note,
            IdOf = Notes.IdOf,
            Merge = Notes.Merge,
            Order = Notes.Order,
        };

        Assert.Throws<ArgumentException>(() => new JsonLinesLedger<Note>(Path.Combine(_folder, "notes.jsonl"), indented));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task AppendAsync_WhileAnotherOpenerHoldsTheLockFile_WaitsForItsRelease()
    {
        JsonLinesLedger<Note> ledger = Ledger();
        await ledger.AppendAsync(new Note("a", "1"), CancellationToken.None);
        var held = new FileStream(ledger.FilePath + ".lock", FileMode.Open, FileAccess.ReadWrite, FileShare.None);

        Task append = ledger.AppendAsync(new Note("b", "2"), CancellationToken.None);
        // Waiting can only be watched for a while: the append retries the lock every 16 ms at most, so an append that
        // ignored the lock would finish well within the window.
        Assert.True(await Conditions.StaysPendingAsync(append, TimeSpan.FromMilliseconds(300)), "the append did not wait for the lock");
        Assert.Single(ledger.Read().Records);

        await held.DisposeAsync();
        await append;
        Assert.Equal(2, ledger.Read().Records.Count);
    }

    [Fact(Timeout = Timeout)]
    public async Task AppendAsync_CancelledWhileWaitingForTheLock_WritesNothing()
    {
        JsonLinesLedger<Note> ledger = Ledger();
        await ledger.AppendAsync(new Note("a", "1"), CancellationToken.None);
        await using var held = new FileStream(ledger.FilePath + ".lock", FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ledger.AppendAsync(new Note("b", "2"), cancel.Token));

        Assert.Single(ledger.Read().Records);
    }

    internal sealed record Note(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("text")] string Text);

    [JsonSourceGenerationOptions(RespectNullableAnnotations = true)]
    [JsonSerializable(typeof(Note))]
    internal sealed partial class NoteJsonContext : JsonSerializerContext;

    [JsonSourceGenerationOptions(WriteIndented = true)]
    [JsonSerializable(typeof(Note))]
    internal sealed partial class IndentedNoteJsonContext : JsonSerializerContext;
}
