using AcpHost.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AcpHost.Features.Compaction;

/// <summary>
/// The compaction feature's parts, one instance each for the host: the tracker every part tells, the record queue, the
/// writer and the teller, the transcript poll and the flattened watch, the interceptor and the service that runs the
/// loops. The interceptor's place among the others is the host's to choose: it registers
/// <see cref="CompactionSignals"/> in its list.
/// </summary>
internal static class CompactionRegistration
{
    /// <summary>Registers the parts and the hosted service; <see cref="CompactionOptions"/> and the shared state come from the caller.</summary>
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton(sp => new CompactionTracker(
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<CompactionOptions>>().Value.TranscriptWait, sp.GetRequiredService<SessionTurns>()));
        services.AddSingleton<CompactionQueue>();
        services.AddSingleton<FlattenedWatch>();
        services.AddSingleton<CompactionTeller>();
        services.AddSingleton<CompactionWriter>();
        services.AddSingleton<TranscriptPoll>();
        services.AddSingleton<CompactionSignals>();
        services.AddSingleton<CompactionService>();
        services.AddHostedService(sp => sp.GetRequiredService<CompactionService>());
    }
}
