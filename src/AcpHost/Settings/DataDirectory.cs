namespace AcpHost.Settings;

/// <summary>
/// Resolves the data directory: the explicit value (<c>--data-dir</c> or the <c>DataDir</c> setting), else
/// <c>$ACPHOST_DATA_DIR</c>, else <c>$XDG_DATA_HOME/acphost</c>, else <c>~/.local/share/acphost</c>.
/// </summary>
internal static class DataDirectory
{
    /// <summary>The resolved, absolute data directory.</summary>
    public static string Resolve(string? explicitValue, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string? chosen = NonEmpty(explicitValue) ?? NonEmpty(environment("ACPHOST_DATA_DIR"));
        if (chosen is null)
        {
            string? xdg = NonEmpty(environment("XDG_DATA_HOME"));
            string home = NonEmpty(environment("HOME")) ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            chosen = xdg is not null ? Path.Combine(xdg, "acphost") : Path.Combine(home, ".local", "share", "acphost");
        }

        return Path.GetFullPath(ExpandHome(chosen, environment));
    }

    /// <summary>The folder for log files.</summary>
    public static string Logs(string dataDir) => Path.Combine(dataDir, "logs");

    /// <summary>The default folder for installed agents.</summary>
    public static string Agents(string dataDir) => Path.Combine(dataDir, "agent");

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string ExpandHome(string path, Func<string, string?> environment)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            string home = NonEmpty(environment("HOME")) ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return home + path[1..];
        }

        return path;
    }
}
