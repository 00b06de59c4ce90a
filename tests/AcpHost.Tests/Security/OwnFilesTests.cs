using AcpHost.Events;
using AcpHost.Features.Compaction;
using AcpHost.Hosting;
using AcpHost.Relay.Platform;
using AcpHost.Relay.Relay;
using AcpHost.Relay.Transport;
using AcpHost.Settings;
using AcpHost.Storage.Ledgers;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace AcpHost.Tests.Security;

/// <summary>
/// The host's own files are never reached through a symlink, folders of another user are refused rather than
/// chmod-ed, and logs are kept to their owner.
/// </summary>
public sealed class OwnFilesTests : IDisposable
{
    private const int Timeout = 15_000;

    private readonly string _folder = Directory.CreateTempSubdirectory("acphost-own-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Victim(UnixFileMode mode)
    {
        string target = Path.Combine(_folder, "victim.txt");
        File.WriteAllText(target, "precious\n");
        File.SetUnixFileMode(target, mode);
        return target;
    }

    [Fact(Timeout = Timeout)]
    public async Task MessageTraceOpen_SymlinkAtThePath_IsRefusedAndItsTargetIsUntouched()
    {
        const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        string target = Victim(Readable);
        string trace = Path.Combine(_folder, "trace.jsonl");
        File.CreateSymbolicLink(trace, target);

        IOException refused = Assert.ThrowsAny<IOException>(() => MessageTrace.Open(trace).Dispose());

        Assert.Contains("symbolic link", refused.Message, StringComparison.Ordinal);
        Assert.Equal(Readable, File.GetUnixFileMode(target));
        Assert.Equal("precious\n", await File.ReadAllTextAsync(target));
    }

    [Fact(Timeout = Timeout)]
    public async Task MessageTraceOpen_ExistingLooseFile_IsTightenedTo0600()
    {
        string trace = Path.Combine(_folder, "trace.jsonl");
        await File.WriteAllTextAsync(trace, "");
        File.SetUnixFileMode(trace, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        MessageTrace.Open(trace).Dispose();

        Assert.Equal(OwnFiles.PrivateFile, File.GetUnixFileMode(trace));
    }

    [Fact(Timeout = Timeout)]
    public async Task LedgerAppend_SymlinkAtTheLedgerPath_IsRefusedAndItsTargetIsUntouched()
    {
        string target = Victim(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string dataDir = Path.Combine(_folder, "data");
        var ledger = new CompactionLedger(dataDir);
        Directory.CreateDirectory(Path.GetDirectoryName(ledger.FilePath)!, OwnFiles.PrivateFolder);
        File.CreateSymbolicLink(ledger.FilePath, target);

        await Assert.ThrowsAnyAsync<IOException>(() => ledger.AppendAsync(
            new CompactionRecord { Id = "c", SessionId = "s", At = DateTimeOffset.UtcNow, Source = CompactionSources.ToolCall }, CancellationToken.None));

        Assert.Equal("precious\n", await File.ReadAllTextAsync(target));
    }

    [Fact(Timeout = Timeout)]
    public async Task EnsurePrivateFolder_FolderOfAnotherUser_IsRefusedAndNotChmodded()
    {
        Assert.True(OtherUser.Available, "needs root and setpriv to play another user");
        string foreign = Path.Combine(_folder, "foreign");
        Directory.CreateDirectory(foreign);
        File.SetUnixFileMode(foreign, (UnixFileMode)0x1FF);
        OtherUser.Own(foreign);

        IOException refused = Assert.ThrowsAny<IOException>(() => OwnFiles.EnsurePrivateFolder(foreign));

        Assert.Contains("belongs to uid 12345", refused.Message, StringComparison.Ordinal);
        Assert.Equal((UnixFileMode)0x1FF, File.GetUnixFileMode(foreign));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task SerilogSetup_LooseLogsFolder_BecomesOwnerOnlyAndTheLogFile0600()
    {
        string dataDir = Path.Combine(_folder, "data");
        string logs = DataDirectory.Logs(dataDir);
        Directory.CreateDirectory(logs);
        File.SetUnixFileMode(logs, (UnixFileMode)0x1ED); // 0755, as the issue found it
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:Level"] = "Verbose" }).Build();

        using (Serilog.Core.Logger logger = SerilogSetup.Create(configuration, dataDir))
        {
            logger.Information("a line that may hold prompt text");
        }

        Assert.Equal(OwnFiles.PrivateFolder, File.GetUnixFileMode(logs));
        string[] files = Directory.GetFiles(logs);
        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.Equal(OwnFiles.PrivateFile, File.GetUnixFileMode(file)));
        Assert.Contains("prompt text", await File.ReadAllTextAsync(Assert.Single(files)));
    }
}
