using System.IO.Pipelines;
using System.Text;
using AcpHost.Acp;
using AcpHost.Relay.Relay;

namespace AcpHost.Tests.Support;

/// <summary>
/// A relay wired to in-memory pipes on both sides: the test plays the client (<see cref="ClientSayAsync"/>,
/// <see cref="ToClient"/>) and the agent (<see cref="Agent"/>).
/// </summary>
internal sealed class RelayHarness : IAsyncDisposable
{
    private readonly Pipe _clientToRelay = new();
    private readonly Pipe _relayToClient;
    private readonly WatchedPipeWriter _toClient;
    private readonly CancellationTokenSource _stop = new();

    public RelayHarness(
        IEnumerable<IMessageInterceptor>? interceptors = null,
        RelayOptions? options = null,
        PipeOptions? relayToClientOptions = null,
        FakeAgentConnection? agent = null,
        IAgentRecovery? recovery = null,
        RelayDialect? dialect = null,
        Action<DateTimeOffset>? ending = null)
    {
        _relayToClient = new Pipe(relayToClientOptions ?? PipeOptions.Default);
        _toClient = new WatchedPipeWriter(_relayToClient.Writer);
        Agent = agent ?? new FakeAgentConnection();
        ToClient = new LineReader(_relayToClient.Reader);
        Log = new ListLogger<JsonRpcRelay>();
        Relay = new JsonRpcRelay(_clientToRelay.Reader, _toClient, Agent, new RelaySetup
        {
            Options = options ?? new RelayOptions { ShutdownGrace = TimeSpan.FromSeconds(2), DrainTimeout = TimeSpan.FromSeconds(1) },
            Dialect = dialect ?? AcpDialect.Instance,
            Interceptors = interceptors ?? [],
            Recovery = recovery,
            Log = Log,
            Ending = ending,
        });
        Run = Relay.RunAsync(_stop.Token);
    }

    public JsonRpcRelay Relay { get; }

    public FakeAgentConnection Agent { get; }

    public LineReader ToClient { get; }

    public ListLogger<JsonRpcRelay> Log { get; }

    public Task<RelayOutcome> Run { get; }

    public PipeWriter ClientStdin => _clientToRelay.Writer;

    /// <summary>True while the relay waits to write to the client, which is not reading.</summary>
    public bool RelayWaitsForClient => _toClient.IsWaitingForReader;

    public Task ClientSayAsync(string line) => ClientSayRawAsync(Encoding.UTF8.GetBytes(line + "\n"));

    public async Task ClientSayRawAsync(byte[] bytes) => await _clientToRelay.Writer.WriteAsync(bytes);

    public async Task ClientCloseAsync() => await _clientToRelay.Writer.CompleteAsync();

    public void Stop() => _stop.Cancel();

    public async Task<RelayOutcome> OutcomeAsync() => await Run.WaitAsync(TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        await _clientToRelay.Writer.CompleteAsync();
        _stop.Cancel();
        try
        {
            await Run.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            _stop.Dispose();
        }
    }
}
