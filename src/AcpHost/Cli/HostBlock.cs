using System.Globalization;
using AcpHost.Control;
using AcpHost.Events;
using AcpHost.Features.Sessions;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost ps</c> for people: a block per host (pid and uptime, then agent, working directory, data directory and
/// socket), its live sessions beneath as the same tree <c>acphost sessions</c> draws, and blank lines between hosts.
/// </summary>
internal static class HostBlock
{
    private const string Unknown = "–";
    private const string Indent = "  ";

    /// <summary>The lines for <paramref name="hosts"/>, which must not be empty.</summary>
    public static IEnumerable<string> Lines(IReadOnlyList<(string SocketPath, HostStatus Status)> hosts)
    {
        for (int i = 0; i < hosts.Count; i++)
        {
            if (i > 0)
            {
                yield return "";
            }

            (string socketPath, HostStatus status) = hosts[i];
            yield return string.Create(CultureInfo.InvariantCulture, $"AcpHost pid {status.Pid}, up {Uptime(status.UptimeSeconds)}");
            yield return Indent + "agent:    " + Agent(status);
            yield return Indent + "cwd:      " + (status.Cwd ?? Unknown);
            yield return Indent + "data dir: " + status.DataDir;
            yield return Indent + "socket:   " + socketPath;
            if (status.Sessions.Count == 0)
            {
                yield return Indent + "no sessions yet";
                continue;
            }

            foreach (string line in SessionTable.Lines(SessionTree.Arrange([.. status.Sessions])))
            {
                yield return Indent + line;
            }
        }
    }

    /// <summary>An uptime for people: <c>42s</c>, <c>5m 07s</c>, <c>1h 02m</c>, <c>3d 04h</c>.</summary>
    internal static string Uptime(double seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Max(0, Math.Floor(seconds)));
        return span switch
        {
            { TotalDays: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays}d {span.Hours:00}h"),
            { TotalHours: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.Hours}h {span.Minutes:00}m"),
            { TotalMinutes: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m {span.Seconds:00}s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{span.Seconds}s"),
        };
    }

    private static string Agent(HostStatus status) => (status.Agent, status.AgentPid) switch
    {
        (_, { } pid) => string.Create(CultureInfo.InvariantCulture, $"{status.Agent ?? Unknown} (pid {pid})"),
        ({ } agent, null) => agent + " (not running)",
        _ => "not started",
    };
}
