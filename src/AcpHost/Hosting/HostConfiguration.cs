using Microsoft.Extensions.Configuration;

namespace AcpHost.Hosting;

/// <summary>
/// Settings in order of precedence, lowest first: <c>appsettings.json</c> beside the executable,
/// <c>ACPHOST_</c>-prefixed environment variables (<c>ACPHOST_Agent__Version</c>), then the command line
/// (its named options and any <c>--set Key=Value</c>).
/// </summary>
internal static class HostConfiguration
{
    /// <summary>The environment variable prefix.</summary>
    public const string EnvironmentPrefix = "ACPHOST_";

    /// <summary>Builds the configuration; <paramref name="overrides"/> come from the command line and win.</summary>
    public static IConfigurationRoot Build(IReadOnlyDictionary<string, string?> overrides, string? baseDirectory = null) =>
        new ConfigurationBuilder()
            .SetBasePath(baseDirectory ?? AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddInMemoryCollection(overrides)
            .Build();

    /// <summary>Parses <c>--set</c> values of the form <c>Key=Value</c> (<c>Agent:Version=0.100.0</c>).</summary>
    /// <exception cref="FormatException">A value has no '=' or an empty key.</exception>
    public static Dictionary<string, string?> ParseAssignments(IEnumerable<string> assignments)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (string assignment in assignments)
        {
            int equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"'--set {assignment}' is not of the form Key=Value");
            }

            result[assignment[..equals].Trim()] = assignment[(equals + 1)..];
        }

        return result;
    }
}
