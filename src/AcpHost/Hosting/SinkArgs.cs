using System.Globalization;
using Microsoft.Extensions.Configuration;
using Serilog.Events;

namespace AcpHost.Hosting;

/// <summary>
/// The <c>Args</c> of one <c>Serilog:WriteTo</c> entry, read one typed value at a time; remembers which keys were read
/// so that the others can be reported. Key names are case-insensitive, as everywhere in configuration.
/// </summary>
internal sealed class SinkArgs(IConfigurationSection args)
{
    private readonly HashSet<string> _read = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The paths of the keys present that no getter asked for.</summary>
    public IEnumerable<string> Unread() => args.GetChildren().Where(child => !_read.Contains(child.Key)).Select(child => child.Path);

    public string? String(string key) => Raw(key) is { Length: > 0 } value ? value : null;

    public LogEventLevel? Level(string key) => Raw(key) is { Length: > 0 } value ? ParseLevel(args.Path + ":" + key, value) : null;

    public bool Bool(string key) => Raw(key) is { Length: > 0 } value
        && (bool.TryParse(value, out bool parsed) ? parsed : throw Bad(key, value, "true or false"));

    // An explicit null (or "") turns a limit off, as in Serilog's own settings.
    public int? Int(string key, int? absent) => Raw(key) switch
    {
        null => absent,
        "" or "null" => null,
        string value => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed) && parsed > 0 ? parsed : throw Bad(key, value, "a whole number above 0"),
    };

    public long? Long(string key, long? absent) => Raw(key) switch
    {
        null => absent,
        "" or "null" => null,
        string value => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long parsed) && parsed > 0 ? parsed : throw Bad(key, value, "a whole number above 0"),
    };

    public TimeSpan? TimeSpan(string key) => Raw(key) is { Length: > 0 } value
        ? System.TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out TimeSpan parsed) && parsed > System.TimeSpan.Zero ? parsed : throw Bad(key, value, "a positive time span (hh:mm:ss)")
        : null;

    public T Enum<T>(string key, T absent)
        where T : struct, Enum => Raw(key) is { Length: > 0 } value
        ? System.Enum.TryParse(value, ignoreCase: true, out T parsed) && System.Enum.IsDefined(parsed) ? parsed : throw Bad(key, value, string.Join(", ", System.Enum.GetNames<T>()))
        : absent;

    /// <summary>A level as <c>Logging:Level</c> takes it; <paramref name="path"/> names the key in the error.</summary>
    public static LogEventLevel ParseLevel(string path, string? value) =>
        LogLevels.TryParse(value, out LogEventLevel level) ? level : throw new InvalidOperationException($"{path} '{value}' is not a level ({LogLevels.Accepted})");

    private string? Raw(string key)
    {
        // Looked up among the children, not with Exists(): a JSON null is a key with no value, and it means "no limit".
        _read.Add(key);
        IConfigurationSection? value = args.GetChildren().FirstOrDefault(child => string.Equals(child.Key, key, StringComparison.OrdinalIgnoreCase));
        return value is null ? null : value.Value ?? "";
    }

    private InvalidOperationException Bad(string key, string value, string expected) =>
        new($"{args.Path}:{key} '{value}' is not {expected}");
}
