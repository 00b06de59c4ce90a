namespace AcpHost.Agent;

/// <summary>Where one pinned version of the agent package lives on disk.</summary>
/// <param name="Name">The npm package name, e.g. <c>@agentclientprotocol/claude-agent-acp</c>.</param>
/// <param name="Version">The exact version.</param>
/// <param name="InstallRoot">The folder that holds every installed version.</param>
internal sealed record AgentPackage(string Name, string Version, string InstallRoot)
{
    /// <summary>
    /// The marker written last, holding the package's bin script relative to <see cref="Folder"/>: its presence
    /// means the folder holds a complete install.
    /// </summary>
    public const string CompleteMarker = ".acphost-installed";

    /// <summary>This version's folder, e.g. <c>agent/agentclientprotocol+claude-agent-acp@0.100.0</c>.</summary>
    public string Folder => Path.Combine(InstallRoot, Name.TrimStart('@').Replace('/', '+') + "@" + Version);

    /// <summary>The package spec npm installs.</summary>
    public string Spec => Name + "@" + Version;

    /// <summary>The bin script of a complete install, or null when this version is not (completely) installed.</summary>
    public string? FindEntryPoint()
    {
        string marker = Path.Combine(Folder, CompleteMarker);
        if (!File.Exists(marker))
        {
            return null;
        }

        string entry = Path.GetFullPath(Path.Combine(Folder, File.ReadAllText(marker).Trim()));
        return File.Exists(entry) ? entry : null;
    }
}
