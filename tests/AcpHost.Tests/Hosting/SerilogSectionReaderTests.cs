using System.Text;
using AcpHost.Hosting;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;

namespace AcpHost.Tests.Hosting;

public class SerilogSectionReaderTests
{
    private const int Timeout = 5_000;

    // As appsettings.json gives it: the JSON provider, so nulls, arrays and nesting arrive as they would in the host.
    private static IConfiguration Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    [Fact(Timeout = Timeout)]
    public async Task Read_NoSection_NothingReadNothingReported()
    {
        Assert.Same(SerilogSection.None, SerilogSectionReader.Read(Json("""{"Logging": {"RetainedFileCount": 3}}""")));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_DocumentedKeys_AreReadIntoTypedSettings()
    {
        SerilogSection section = SerilogSectionReader.Read(Json("""
            {"Serilog": {
              "Using": ["Serilog.Sinks.File"],
              "MinimumLevel": {"Default": "Debug", "Override": {"AcpHost.Relay": "Error", "agent": "warn"}},
              "WriteTo": [
                {"Name": "File", "Args": {"path": "extra.log", "outputTemplate": "{Message}{NewLine}", "restrictedToMinimumLevel": "Warning",
                  "rollingInterval": "Hour", "retainedFileCountLimit": null, "fileSizeLimitBytes": 1048576, "rollOnFileSizeLimit": true,
                  "shared": true, "buffered": false, "flushToDiskInterval": "00:00:02", "retainedFileTimeLimit": "7.00:00:00"}},
                {"Name": "Console", "Args": {"outputTemplate": "{Level:u3} {Message}{NewLine}", "restrictedToMinimumLevel": "Information"}}
              ],
              "Enrich": ["FromLogContext"],
              "Properties": {"Machine": "dev-1"}
            }}
            """));

        Assert.Equal(LogEventLevel.Debug, section.DefaultLevel);
        Assert.Equal(LogEventLevel.Error, section.Overrides["AcpHost.Relay"]);
        Assert.Equal(LogEventLevel.Warning, section.Overrides["agent"]);
        FileSinkSettings file = Assert.Single(section.Files);
        Assert.Equal("extra.log", file.Path);
        Assert.Equal("{Message}{NewLine}", file.OutputTemplate);
        Assert.Equal(LogEventLevel.Warning, file.RestrictedToMinimumLevel);
        Assert.Equal(RollingInterval.Hour, file.RollingInterval);
        Assert.Null(file.RetainedFileCountLimit);
        Assert.Equal(1048576, file.FileSizeLimitBytes);
        Assert.True(file.RollOnFileSizeLimit);
        Assert.True(file.Shared);
        Assert.False(file.Buffered);
        Assert.Equal(TimeSpan.FromSeconds(2), file.FlushToDiskInterval);
        Assert.Equal(TimeSpan.FromDays(7), file.RetainedFileTimeLimit);
        Assert.Equal(new ConsoleSinkSettings("{Level:u3} {Message}{NewLine}", LogEventLevel.Information), section.Console);
        Assert.Equal("dev-1", section.Properties["Machine"]);
        Assert.Empty(section.NotRead);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_PlainLevelAndBareFileArgs_GiveSerilogsDefaults()
    {
        SerilogSection section = SerilogSectionReader.Read(Json("""{"Serilog": {"MinimumLevel": "Warning", "WriteTo": [{"Name": "File", "Args": {"path": "/tmp/x.log"}}]}}"""));

        Assert.Equal(LogEventLevel.Warning, section.DefaultLevel);
        FileSinkSettings file = Assert.Single(section.Files);
        Assert.Equal(new FileSinkSettings("/tmp/x.log"), file);
        Assert.Equal(31, file.RetainedFileCountLimit);
        Assert.Equal(1L << 30, file.FileSizeLimitBytes);
        Assert.Equal(RollingInterval.Infinite, file.RollingInterval);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_KeysNotRead_AreEachReportedWithTheirPath()
    {
        SerilogSection section = SerilogSectionReader.Read(Json("""
            {"Serilog": {
              "MinimumLevel": {"ControlledBy": "$switch"},
              "WriteTo": [{"Name": "Seq", "Args": {"serverUrl": "http://localhost"}}, {"Name": "File", "Args": {"path": "a.log", "formatter": "Json"}}],
              "Enrich": ["WithThreadId"],
              "Filter": [{"Name": "ByExcluding"}]
            }}
            """));

        // Configuration lists a section's keys sorted.
        Assert.Collection(
            section.NotRead,
            k => Assert.StartsWith("Serilog:Enrich:0 (WithThreadId):", k, StringComparison.Ordinal),
            k => Assert.StartsWith("Serilog:Filter:", k, StringComparison.Ordinal),
            k => Assert.StartsWith("Serilog:MinimumLevel:ControlledBy:", k, StringComparison.Ordinal),
            k => Assert.StartsWith("Serilog:WriteTo:0 (Seq):", k, StringComparison.Ordinal),
            k => Assert.StartsWith("Serilog:WriteTo:1:Args:formatter:", k, StringComparison.Ordinal));
        Assert.Equal("a.log", Assert.Single(section.Files).Path);
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData("""{"MinimumLevel": "Loud"}""", "Serilog:MinimumLevel 'Loud' is not a level")]
    [InlineData("""{"MinimumLevel": {"Override": {"Microsoft": "chatty"}}}""", "Serilog:MinimumLevel:Override:Microsoft 'chatty' is not a level")]
    [InlineData("""{"WriteTo": [{"Name": "File", "Args": {}}]}""", "Serilog:WriteTo:0: a File sink needs Args:path")]
    [InlineData("""{"WriteTo": [{"Name": "File", "Args": {"path": "a", "retainedFileCountLimit": "-3"}}]}""", "Serilog:WriteTo:0:Args:retainedFileCountLimit '-3' is not a whole number above 0")]
    [InlineData("""{"WriteTo": [{"Name": "File", "Args": {"path": "a", "rollingInterval": "Fortnight"}}]}""", "Serilog:WriteTo:0:Args:rollingInterval 'Fortnight' is not Infinite, Year")]
    [InlineData("""{"WriteTo": [{"Name": "File", "Args": {"path": "a", "shared": "yes"}}]}""", "Serilog:WriteTo:0:Args:shared 'yes' is not true or false")]
    [InlineData("""{"WriteTo": [{"Name": "File", "Args": {"path": "a", "flushToDiskInterval": "soon"}}]}""", "Serilog:WriteTo:0:Args:flushToDiskInterval 'soon' is not a positive time span")]
    public async Task Read_BadValueOfAKeyRead_ThrowsNamingTheKeyAndValue(string section, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SerilogSectionReader.Read(Json("""{"Serilog": """ + section + "}")));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }
}
