using System.Reflection;
using AcpHost.Agent;

namespace AcpHost.Telemetry;

/// <summary>
/// The resource every record and metric carries: <c>service.name</c> (default <c>acphost</c>), <c>service.version</c>,
/// <c>host.name</c>, <c>process.pid</c>, and the agent package and version. <c>OTEL_SERVICE_NAME</c> and
/// <c>OTEL_RESOURCE_ATTRIBUTES</c> override them, as everywhere.
/// </summary>
internal static class TelemetryResource
{
    /// <summary>The host's own attributes (the SDK adds its own and the environment's).</summary>
    public static IReadOnlyList<KeyValuePair<string, object>> Attributes(AgentOptions? agent)
    {
        var attributes = new List<KeyValuePair<string, object>>
        {
            new("service.name", TelemetryNames.ServiceName),
            new("service.version", Version),
            new("host.name", Environment.MachineName),
            new("process.pid", (long)Environment.ProcessId),
        };
        if (agent is not null)
        {
            // An explicit agent command is whatever the user runs: name it, not the package it does not use.
            attributes.Add(new(TelemetryNames.AgentPackage, string.IsNullOrEmpty(agent.Command) ? agent.Package : Path.GetFileName(agent.Command)));
            if (string.IsNullOrEmpty(agent.Command))
            {
                attributes.Add(new(TelemetryNames.AgentVersion, agent.Version));
            }
        }

        return attributes;
    }

    /// <summary>The host's version (informational, without the source revision).</summary>
    public static string Version { get; } =
        typeof(TelemetryResource).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
