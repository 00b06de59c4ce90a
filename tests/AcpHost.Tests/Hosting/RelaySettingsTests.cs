using AcpHost.Hosting;
using AcpHost.Relay.Relay;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AcpHost.Tests.Hosting;

public class RelaySettingsTests
{
    private const int Timeout = 5_000;

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact(Timeout = Timeout)]
    public async Task From_EmptySection_GivesTheDefaults()
    {
        RelayOptions options = RelaySettings.From(Config());

        Assert.Equal(50, options.ReadSpinMicroseconds);
        Assert.Equal(TimeSpan.FromMicroseconds(50), options.ReadSpin);
        Assert.Equal(128L * 1024 * 1024, options.MaxMessageBytes);
        Assert.True(options.ReleaseStartupPages);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task From_Values_AreBound()
    {
        RelayOptions options = RelaySettings.From(Config(("Relay:ReadSpinMicroseconds", "0"), ("Relay:MaxMessageBytes", "4096"), ("Relay:ShutdownGrace", "00:00:01"), ("Relay:ReleaseStartupPages", "false")));

        Assert.Equal(TimeSpan.Zero, options.ReadSpin);
        Assert.Equal(4096, options.MaxMessageBytes);
        Assert.Equal(TimeSpan.FromSeconds(1), options.ShutdownGrace);
        Assert.False(options.ReleaseStartupPages);
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData("Relay:ReadSpinMicroseconds", "-1", "Relay:ReadSpinMicroseconds must be between 0 (off) and 1000")]
    [InlineData("Relay:ReadSpinMicroseconds", "1001", "Relay:ReadSpinMicroseconds must be between 0 (off) and 1000")]
    [InlineData("Relay:MaxMessageBytes", "1000", "Relay:MaxMessageBytes must be between 1 KiB and 1 GiB")]
    [InlineData("Relay:RestoreTimeout", "-00:00:01", "Relay timings must not be negative, nor more than a day")]
    [InlineData("Relay:ShutdownGrace", "10675199.02:48:05", "Relay timings must not be negative, nor more than a day")]
    public async Task From_OutOfRange_ThrowsNamingTheSetting(string key, string value, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => RelaySettings.From(Config((key, value))));

        Assert.Contains(message, error.Failures);
        await Task.CompletedTask;
    }
}
