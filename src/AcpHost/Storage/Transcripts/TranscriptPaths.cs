using System.Text;

namespace AcpHost.Storage.Transcripts;

/// <summary>
/// Where Claude Code keeps a session's transcript: <c>&lt;config dir&gt;/projects/&lt;encoded cwd&gt;/&lt;sessionId&gt;.jsonl</c>,
/// the config dir being <c>$CLAUDE_CONFIG_DIR</c> or <c>~/.claude</c>, and the cwd encoded with every character that is not
/// an ASCII letter or digit replaced by '-'. Folder names longer than 200 characters are cut and given a hash suffix,
/// so those are found by prefix.
/// </summary>
internal static class TranscriptPaths
{
    /// <summary>Claude Code's longest project folder name before it cuts and hashes.</summary>
    public const int MaxFolderName = 200;

    /// <summary>The config dir: <paramref name="configured"/>, else <c>$CLAUDE_CONFIG_DIR</c>, else <c>~/.claude</c>.</summary>
    public static string ConfigDir(string? configured, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        return environment("CLAUDE_CONFIG_DIR") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.Combine(environment("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".claude");
    }

    /// <summary>The project folder name for a working directory.</summary>
    public static string EncodeCwd(string cwd)
    {
        ArgumentNullException.ThrowIfNull(cwd);
        var encoded = new StringBuilder(cwd.Length);
        foreach (char c in cwd)
        {
            encoded.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }

        return encoded.ToString();
    }

    /// <summary>
    /// The transcript file of a session, or null while its project folder does not exist (the agent creates it on the
    /// first write). A long folder name is matched by its first <see cref="MaxFolderName"/> characters.
    /// </summary>
    public static string? Find(string configDir, string cwd, string sessionId)
    {
        string projects = Path.Combine(configDir, "projects");
        string folder = EncodeCwd(cwd);
        string exact = Path.Combine(projects, folder);
        if (folder.Length <= MaxFolderName)
        {
            return Directory.Exists(exact) ? Path.Combine(exact, sessionId + ".jsonl") : null;
        }

        if (!Directory.Exists(projects))
        {
            return null;
        }

        string prefix = folder[..MaxFolderName];
        foreach (string candidate in Directory.EnumerateDirectories(projects, prefix + "*"))
        {
            string file = Path.Combine(candidate, sessionId + ".jsonl");
            if (File.Exists(file))
            {
                return file;
            }
        }

        return null;
    }
}
