namespace AcpHost.Relay.Transport;

/// <summary>What to start as the agent.</summary>
/// <param name="FileName">The executable (looked up on PATH when it has no directory).</param>
/// <param name="Arguments">Its arguments, passed one by one without shell quoting.</param>
/// <param name="Environment">Variables to set on top of the host's own environment, which the child inherits.</param>
public sealed record AgentLaunch(string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string>? Environment = null)
{
    /// <summary>The command line as one string, for log lines.</summary>
    public string Display => Arguments.Count == 0 ? FileName : FileName + " " + string.Join(' ', Arguments);
}
