using AcpHost.Relay.Transport;

namespace AcpHost.Relay.Relay;

/// <summary>What one run of <see cref="AgentSupervisor"/> watches on the client's side, and how it brings an agent on.</summary>
/// <param name="ClientPump">The pump of the client's input: its end is the client closing.</param>
/// <param name="ClientInputEnded">
/// The client's end of input, seen even while its pump is stuck writing to an agent that stopped reading; null when
/// the client's input cannot tell (<see cref="IInputEnd"/>).
/// </param>
/// <param name="StartAgentPump">Starts relaying a (new) agent's output.</param>
/// <param name="Recovery">Brings a dead agent back, or null to end the run when it dies.</param>
/// <param name="Outlet">What a restore speaks to the new agent and the client through.</param>
internal sealed record SupervisedRun(
    Task<PumpEnd> ClientPump,
    Task? ClientInputEnded,
    Func<IAgentConnection, Task<PumpEnd>> StartAgentPump,
    IAgentRecovery? Recovery,
    IRelayOutlet Outlet);
