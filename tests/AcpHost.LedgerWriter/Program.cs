using System.Globalization;
using AcpHost.Events;
using AcpHost.Features.Compaction;
using AcpHost.Storage.Ledgers;

// Prints "ready", waits for GO_FILE to exist (so that every writer starts at the same moment), appends COUNT records
// with ids TAG-0 … TAG-(COUNT-1) from four concurrent tasks, then prints "done FIRST LAST": the UTC ticks just before
// the first append started and after the last one completed, for the test to check that the writers overlapped.
//
// With "endless" instead of COUNT and a sequence number instead of GO_FILE, it appends records numbered FIRST,
// FIRST+1, … one after the other (id TAG-N, preTokens N) as fast as it can until it is killed: the kill -9 test.
if (args is [string endlessDir, "endless", string endlessTag, string firstText]
    && long.TryParse(firstText, CultureInfo.InvariantCulture, out long firstNumber))
{
    return await AppendEndlesslyAsync(new CompactionLedger(endlessDir), endlessTag, firstNumber);
}

if (args.Length != 4 || !int.TryParse(args[1], CultureInfo.InvariantCulture, out int count))
{
    await Console.Error.WriteLineAsync("usage: AcpHost.LedgerWriter DATA_DIR COUNT TAG GO_FILE | DATA_DIR endless TAG FIRST");
    return 2;
}

string tag = args[2];
var ledger = new CompactionLedger(args[0]);
Console.WriteLine("ready");
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
while (!File.Exists(args[3]))
{
    await Task.Delay(1, timeout.Token);
}

const int Writers = 4;
long first = DateTime.UtcNow.Ticks;
await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
{
    for (int i = writer; i < count; i += Writers)
    {
        await ledger.AppendAsync(
            new CompactionRecord
            {
                Id = string.Create(CultureInfo.InvariantCulture, $"{tag}-{i}"),
                SessionId = tag,
                Trigger = "auto",
                PreTokens = 100_000 + i,
                At = DateTimeOffset.UtcNow,
                Source = CompactionSources.ToolCall,
            },
            timeout.Token);
    }
})));
long last = DateTime.UtcNow.Ticks;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done {first} {last}"));
return 0;

static async Task<int> AppendEndlesslyAsync(CompactionLedger ledger, string tag, long first)
{
    Console.WriteLine("ready");
    for (long number = first; ; number++)
    {
        await ledger.AppendAsync(
            new CompactionRecord
            {
                Id = string.Create(CultureInfo.InvariantCulture, $"{tag}-{number}"),
                SessionId = tag,
                Trigger = "auto",
                PreTokens = number,
                At = DateTimeOffset.UtcNow,
                Source = CompactionSources.ToolCall,
            },
            CancellationToken.None);
    }
}
