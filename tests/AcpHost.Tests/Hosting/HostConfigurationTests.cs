using AcpHost.Hosting;
using Microsoft.Extensions.Configuration;

namespace AcpHost.Tests.Hosting;

public class HostConfigurationTests
{
    private const int Timeout = 5_000;

    [Fact(Timeout = Timeout)]
    public async Task ParseAssignments_KeyValuePairs_BecomeConfigurationKeys()
    {
        Dictionary<string, string?> parsed = HostConfiguration.ParseAssignments(["Agent:Version=1.2.3", "Relay:ShutdownGrace = 00:00:01", "Trace=/a=b"]);

        Assert.Equal("1.2.3", parsed["Agent:Version"]);
        Assert.Equal(" 00:00:01", parsed["Relay:ShutdownGrace"]);
        Assert.Equal("/a=b", parsed["Trace"]);
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData("no-equals")]
    [InlineData("=value")]
    public async Task ParseAssignments_Malformed_Throws(string assignment)
    {
        Assert.Throws<FormatException>(() => HostConfiguration.ParseAssignments([assignment]));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Build_CommandLineWinsOverEnvironmentWhichWinsOverAppSettings()
    {
        string folder = Directory.CreateTempSubdirectory("acphost-config-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "appsettings.json"), """{"Agent":{"Version":"from-file","Node":"file-node","Npm":"file-npm"}}""");
            Environment.SetEnvironmentVariable("ACPHOST_Agent__Node", "env-node");
            Environment.SetEnvironmentVariable("ACPHOST_Agent__Npm", "env-npm");

            IConfigurationRoot configuration = HostConfiguration.Build(new Dictionary<string, string?> { ["Agent:Npm"] = "cli-npm" }, folder);

            Assert.Equal("from-file", configuration["Agent:Version"]);
            Assert.Equal("env-node", configuration["Agent:Node"]);
            Assert.Equal("cli-npm", configuration["Agent:Npm"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ACPHOST_Agent__Node", null);
            Environment.SetEnvironmentVariable("ACPHOST_Agent__Npm", null);
            Directory.Delete(folder, recursive: true);
        }
    }
}
