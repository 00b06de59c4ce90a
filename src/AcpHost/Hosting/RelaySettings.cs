using AcpHost.Relay.Relay;
using AcpHost.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace AcpHost.Hosting;

/// <summary>
/// The <c>Relay</c> section, bound once and checked before anything starts: the readers of stdin and of the agent's
/// stdout need its read spin when they are created, which is before the host (and its options system) exists.
/// </summary>
internal static class RelaySettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Relay";

    /// <summary>
    /// The <see cref="Section"/> of <paramref name="configuration"/>, bound (defaults where it says nothing).
    /// Throws <see cref="OptionsValidationException"/> listing every setting out of range.
    /// </summary>
    public static RelayOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new RelayOptions();
        configuration.GetSection(Section).Bind(options);

        var failures = new List<string>();
        if (options.MaxMessageBytes is < 1024 or > 1024L * 1024 * 1024)
        {
            failures.Add("Relay:MaxMessageBytes must be between 1 KiB and 1 GiB");
        }

        if (!new[] { options.ShutdownGrace, options.DrainTimeout, options.RestartWaitTimeout, options.RestoreTimeout, options.HostRequestTimeout }.All(t => SettingBounds.IsTiming(t)))
        {
            failures.Add("Relay timings must not be negative, nor more than a day");
        }

        if (options.ReadSpinMicroseconds is < 0 or > RelayOptions.MaxReadSpinMicroseconds)
        {
            failures.Add($"Relay:ReadSpinMicroseconds must be between 0 (off) and {RelayOptions.MaxReadSpinMicroseconds}");
        }

        return failures.Count == 0 ? options : throw new OptionsValidationException(Section, typeof(RelayOptions), failures);
    }
}
