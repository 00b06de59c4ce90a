using AcpHost.Hosting;
using AcpHost.Relay.Platform;
using AcpHost.Settings;
using Microsoft.Extensions.Configuration;
using Serilog.Core;

namespace AcpHost.Tests.Hosting;

/// <summary>The logger built from configuration: what a <c>Serilog</c> section changes, and what the host keeps.</summary>
public sealed class SerilogSetupTests : IDisposable
{
    private const int Timeout = 15_000;

    private readonly string _dataDir = Directory.CreateTempSubdirectory("acphost-serilog-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static void Write(Logger logger)
    {
        logger.ForContext(Constants.SourceContextPropertyName, "AcpHost.Relay.Relay.RelayCore").Information("relay information");
        logger.ForContext(Constants.SourceContextPropertyName, "AcpHost.Relay.Relay.RelayCore").Error("relay error");
        logger.ForContext(Constants.SourceContextPropertyName, "AcpHost.Features.Fork").Debug("fork debug");
        logger.ForContext(Constants.SourceContextPropertyName, "Microsoft.Hosting").Information("hosting information");
    }

    [Fact(Timeout = Timeout)]
    public async Task Create_FileSinkWithOverrideAndRelativePath_WritesUnderTheDataDirFilteredAnd0600()
    {
        using (Logger logger = SerilogSetup.Create(
            Config(("Logging:Level", "Debug"), ("Serilog:MinimumLevel:Override:AcpHost.Relay", "Error"), ("Serilog:WriteTo:0:Name", "File"),
                ("Serilog:WriteTo:0:Args:path", "extra/extra.log"), ("Serilog:WriteTo:0:Args:outputTemplate", "{Level:u3} {Machine} {Message}{NewLine}"),
                ("Serilog:Properties:Machine", "dev-1")),
            _dataDir))
        {
            Write(logger);
        }

        string extra = Path.Combine(_dataDir, "extra", "extra.log");
        string written = await File.ReadAllTextAsync(extra);
        Assert.Contains("ERR dev-1 relay error", written, StringComparison.Ordinal);
        Assert.Contains("DBG dev-1 fork debug", written, StringComparison.Ordinal);
        Assert.DoesNotContain("relay information", written, StringComparison.Ordinal);
        Assert.DoesNotContain("hosting information", written, StringComparison.Ordinal); // the host's own Microsoft: Warning stays
        Assert.Equal(OwnFiles.PrivateFile, File.GetUnixFileMode(extra));
        string ownLog = Assert.Single(Directory.GetFiles(DataDirectory.Logs(_dataDir)));
        Assert.DoesNotContain("relay information", await File.ReadAllTextAsync(ownLog), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Create_SectionLevelWithoutLoggingLevel_IsTheLevelAndAnOverrideOfMicrosoftWins()
    {
        using (Logger logger = SerilogSetup.Create(Config(("Serilog:MinimumLevel:Default", "Error"), ("Serilog:MinimumLevel:Override:Microsoft", "Information")), _dataDir))
        {
            Write(logger);
        }

        string written = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(DataDirectory.Logs(_dataDir))));
        Assert.Contains("relay error", written, StringComparison.Ordinal);
        Assert.DoesNotContain("fork debug", written, StringComparison.Ordinal);
        Assert.Contains("hosting information", written, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Create_LoggingLevelAndSectionLevel_LoggingLevelWins()
    {
        using (Logger logger = SerilogSetup.Create(Config(("Logging:Level", "Debug"), ("Serilog:MinimumLevel", "Error")), _dataDir))
        {
            Write(logger);
        }

        Assert.Contains("fork debug", await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(DataDirectory.Logs(_dataDir)))), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Create_KeyNotRead_LogsAWarningNamingIt()
    {
        using (Logger logger = SerilogSetup.Create(Config(("Serilog:WriteTo:0:Name", "Seq"), ("Serilog:WriteTo:0:Args:serverUrl", "http://localhost:5341")), _dataDir))
        {
        }

        string written = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(DataDirectory.Logs(_dataDir))));
        Assert.Contains("[WRN]", written, StringComparison.Ordinal);
        Assert.Contains("Serilog:WriteTo:0 (Seq): not read", written, StringComparison.Ordinal);
    }
}
