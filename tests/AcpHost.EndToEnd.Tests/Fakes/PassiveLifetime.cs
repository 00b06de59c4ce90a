using Microsoft.Extensions.Hosting;

namespace AcpHost.EndToEnd.Tests.Fakes;

/// <summary>Replaces the console lifetime so the fake neither hooks process signals nor prints status lines.</summary>
internal sealed class PassiveLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
