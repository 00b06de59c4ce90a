using System.Globalization;

namespace AcpHost.Agent;

/// <summary>Reads the major version out of <c>node --version</c> output such as <c>v20.20.2</c>.</summary>
internal static class NodeVersion
{
    /// <summary>The major version, or null when the text is not a version.</summary>
    public static int? ParseMajor(string? text)
    {
        string trimmed = (text ?? "").Trim().TrimStart('v', 'V');
        int dot = trimmed.IndexOf('.', StringComparison.Ordinal);
        string major = dot < 0 ? trimmed : trimmed[..dot];
        return int.TryParse(major, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : null;
    }
}
