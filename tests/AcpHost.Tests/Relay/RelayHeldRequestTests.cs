using System.Text.Json;
using AcpHost.Relay.Relay;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Relay;

/// <summary>A request an interceptor holds gets its answer however the relay's end falls around it.</summary>
public sealed class RelayHeldRequestTests
{
    private const int Timeout = 20_000;

    /// <summary>
    /// The race behind a flaky <c>ClosedForksTests</c> run, made certain: the host is told to stop while the client's
    /// pump is still routing a request that an interceptor then holds. The end had already taken the held requests it
    /// answers, and the relay noted nothing after it began, so the request was never answered.
    /// </summary>
    [Fact(Timeout = Timeout)]
    public async Task Request_HeldOnlyAfterTheEndBegan_IsAnsweredBeforeTheOutputCloses()
    {
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = new StoppingHolder(ended.Task);
        await using var harness = new RelayHarness([holder], ending: _ => ended.TrySetResult());
        holder.Harness = harness;

        await harness.ClientSayAsync("""{"jsonrpc":"2.0","id":7,"method":"session/prompt","params":{"sessionId":"s1","prompt":[]}}""");

        List<string> rest = await harness.ToClient.ReadToEndAsync(TimeSpan.FromSeconds(15));
        JsonElement answer = Assert.Single(rest.Select(line => JsonDocument.Parse(line).RootElement.Clone()), m => m.TryGetProperty("id", out JsonElement id) && id.GetInt32() == 7);
        Assert.Equal(-32603, answer.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("The host is shutting down; the request was not completed", answer.GetProperty("error").GetProperty("message").GetString());
        await harness.OutcomeAsync();
    }

    /// <summary>Stops the relay from inside the interception of a prompt, waits until its end has begun, then holds the prompt.</summary>
    private sealed class StoppingHolder(Task ended) : IMessageInterceptor
    {
        public RelayHarness? Harness { get; set; }

        public IReadOnlyCollection<string> Methods { get; } = ["session/prompt"];

        public async ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
        {
            Harness!.Stop();
            await ended.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            return InterceptResult.Hold;
        }
    }
}
