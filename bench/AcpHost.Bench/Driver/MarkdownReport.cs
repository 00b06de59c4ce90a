using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace AcpHost.Bench.Driver;

/// <summary>Renders the medians of every metric per configuration, with the ratio to <c>direct</c>, as Markdown.</summary>
internal static class MarkdownReport
{
    /// <summary>Renders the report for <paramref name="runs"/>; failed runs are counted but not averaged in.</summary>
    public static string Render(DriverOptions options, IReadOnlyList<RelayConfiguration> configurations, IReadOnlyList<RunResult> runs)
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("## Relay benchmark").AppendLine();
        text.AppendLine(invariant, $"Median of up to {options.Repeat} alternated runs per configuration; in brackets, the ratio to `direct` (value ÷ direct).");
        text.AppendLine(invariant, $"Small flood {options.SmallCount:N0} × {options.SmallSize:N0} B, large flood {options.LargeCount:N0} × {options.LargeSize:N0} B, {options.Pings:N0} sequential pings, {options.Prompts:N0} sequential prompt turns{(options.Warmup ? ", after a warm-up" : "")}.");
        text.AppendLine(invariant, $"{Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription}, .NET {Environment.Version}.").AppendLine();

        text.Append("| metric |");
        foreach (RelayConfiguration configuration in configurations)
        {
            text.Append(invariant, $" {configuration.Name} |");
        }

        text.AppendLine().Append("|---|").Append(string.Concat(Enumerable.Repeat("---:|", configurations.Count))).AppendLine();

        text.Append("| runs ok |");
        foreach (RelayConfiguration configuration in configurations)
        {
            IEnumerable<RunResult> own = runs.Where(r => r.Configuration == configuration.Name);
            text.Append(invariant, $" {own.Count(r => r.Succeeded)}/{own.Count()} |");
        }

        text.AppendLine();
        foreach (ReportMetric metric in ReportMetric.All)
        {
            double direct = Median(runs, RelayConfiguration.DirectName, metric);
            text.Append(invariant, $"| {metric.Label} |");
            foreach (RelayConfiguration configuration in configurations)
            {
                double value = Median(runs, configuration.Name, metric);
                string cell = double.IsNaN(value) ? "–" : value.ToString(metric.Format, invariant);
                if (configuration.Name != RelayConfiguration.DirectName && !double.IsNaN(value) && !double.IsNaN(direct) && direct != 0)
                {
                    cell += (value / direct).ToString(" (0.00×)", invariant);
                }

                text.Append(invariant, $" {cell} |");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private static double Median(IReadOnlyList<RunResult> runs, string configuration, ReportMetric metric) =>
        Statistics.Median(runs
            .Where(r => r.Succeeded && r.Configuration == configuration)
            .Select(metric.Value)
            .OfType<double>());
}
