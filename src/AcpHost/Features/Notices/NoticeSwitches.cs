using AcpHost.Acp;
using Microsoft.Extensions.Configuration;

namespace AcpHost.Features.Notices;

/// <summary>
/// Which notices are shown, read once from configuration by the table of kinds (<see cref="NoticeKind.All"/>):
/// <c>Notices:Enabled</c> (default true) switches them all; <c>Notices:&lt;Switch&gt;</c> each kind (its default in the
/// table). A value that is not a boolean stops the host at start-up with the setting named.
/// </summary>
internal sealed class NoticeSwitches
{
    private readonly HashSet<NoticeKind> _on;

    private NoticeSwitches(IEnumerable<NoticeKind> on) => _on = [.. on];

    /// <summary>Every kind on, as by default with nothing configured.</summary>
    public static NoticeSwitches Defaults { get; } = new(NoticeKind.All.Where(kind => kind.OnByDefault));

    /// <summary>The switches as <paramref name="configuration"/> sets them.</summary>
    /// <exception cref="InvalidOperationException">A switch is not <c>true</c> or <c>false</c>.</exception>
    public static NoticeSwitches From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!Read(configuration, "Enabled", fallback: true))
        {
            return new NoticeSwitches([]);
        }

        return new NoticeSwitches(NoticeKind.All.Where(kind => Read(configuration, kind.Switch, kind.OnByDefault)));
    }

    /// <summary>Whether <paramref name="kind"/> is shown.</summary>
    public bool IsOn(NoticeKind kind) => _on.Contains(kind);

    private static bool Read(IConfiguration configuration, string name, bool fallback)
    {
        string key = "Notices:" + name;
        string? value = configuration[key];
        if (value is null)
        {
            return fallback;
        }

        return bool.TryParse(value, out bool on)
            ? on
            : throw new InvalidOperationException($"{key} must be true or false, not '{value}'");
    }
}
