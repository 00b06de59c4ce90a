namespace AcpHost.Hosting;

/// <summary>The exit code the relay run calls for, set by <see cref="RelayService"/> and returned by the process.</summary>
internal sealed class ExitStatus
{
    /// <summary>A normal end.</summary>
    public const int Success = 0;

    /// <summary>The host could not start the agent (install failed, node missing, bad command) or was misconfigured.</summary>
    public const int StartupFailed = 2;

    /// <summary>The code to exit with.</summary>
    public int Code { get; set; }
}
