using System.Text.Json;
using AcpHost.Relay.Relay;

namespace AcpHost.Tests.Relay;

public sealed class MessageTraceTests : IDisposable
{
    private const int Timeout = 5_000;

    private readonly string _folder = Directory.CreateTempSubdirectory("acphost-trace-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact(Timeout = Timeout)]
    public async Task Record_WritesOneNdjsonRecordPerMessageWithTheMessageEmbedded()
    {
        string path = Path.Combine(_folder, "sub", "trace.ndjson");
        var time = new FixedTime(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));
        using (MessageTrace trace = MessageTrace.Open(path, time))
        {
            trace.Record(MessageTrace.ClientToAgent, """{"jsonrpc":"2.0","method":"a","params":{"x":"é"}}"""u8);
            trace.Record(MessageTrace.HostToClient, """{"jsonrpc":"2.0","method":"b"}"""u8);
        }

        string[] lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(2, lines.Length);
        JsonElement first = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal("2026-11-21T09:00:00.0000000Z", first.GetProperty("ts").GetString());
        Assert.Equal("client->agent", first.GetProperty("dir").GetString());
        Assert.Equal("é", first.GetProperty("msg").GetProperty("params").GetProperty("x").GetString());
        Assert.Equal("host->client", JsonDocument.Parse(lines[1]).RootElement.GetProperty("dir").GetString());
    }

    [Fact(Timeout = Timeout)]
    public async Task Open_ExistingWorldReadableFile_IsTightenedToOwnerOnlyAndAppendedTo()
    {
        string path = Path.Combine(_folder, "trace.ndjson");
        await File.WriteAllTextAsync(path, "{\"old\":true}\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);

        using (MessageTrace trace = MessageTrace.Open(path))
        {
            trace.Record(MessageTrace.AgentToClient, "{}"u8);
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(2, (await File.ReadAllLinesAsync(path)).Length);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
