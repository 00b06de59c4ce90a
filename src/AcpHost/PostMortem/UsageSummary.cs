using AcpHost.Usage;
using AcpHost.Events;

namespace AcpHost.PostMortem;

/// <summary>What the requests of a session, a project, or all of them add up to (see <see cref="UsageTotals"/>).</summary>
/// <param name="Project">The project; null for the total.</param>
/// <param name="SessionId">The session; null for a project or the total.</param>
/// <param name="Sessions">How many sessions it sums.</param>
/// <param name="Totals">The sums.</param>
/// <param name="Cold">A session's cold requests, in time order; empty for a project or the total, whose sums count them.</param>
internal sealed record UsageSummary(string? Project, string? SessionId, int Sessions, UsageTotals Totals, IReadOnlyList<ColdRequest> Cold);
