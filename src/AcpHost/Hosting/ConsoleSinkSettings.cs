using Serilog.Events;

namespace AcpHost.Hosting;

/// <summary>
/// A <c>Serilog:WriteTo</c> entry named <c>Console</c>. It changes the host's own stderr sink instead of adding a second
/// one: a console sink of its own would write every line twice, and by Serilog's default to stdout, which carries the
/// protocol.
/// </summary>
/// <param name="OutputTemplate"><c>Args:outputTemplate</c>, or null for the host's.</param>
/// <param name="RestrictedToMinimumLevel"><c>Args:restrictedToMinimumLevel</c>: the lowest level written to stderr.</param>
internal sealed record ConsoleSinkSettings(string? OutputTemplate, LogEventLevel RestrictedToMinimumLevel);
