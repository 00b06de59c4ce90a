using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;

namespace AcpHost.Bench.Soak;

/// <summary>The soak client's account of a run: what it and the agent saw, reconciled, and the lines of its summary.</summary>
internal sealed partial class SoakClient
{
    public void Reconcile(SoakAgentReport agent)
    {
        Expect("echo requests the agent received", Interlocked.Read(ref _echoes), agent.Echoes);
        Expect("tell notifications the agent received", Interlocked.Read(ref _tells), agent.Tells);
        Expect("echo requests answered", Interlocked.Read(ref _echoes), Interlocked.Read(ref _results) + Interlocked.Read(ref _cancelledAnswers));
        Expect("notes the client received", agent.NotesSent, Interlocked.Read(ref _notes));
        Expect("asks the client received", agent.AsksSent, Interlocked.Read(ref _asksReceived));
        Expect("asks answered back to the agent", agent.AsksSent, agent.AsksAnswered);
        Expect("messages out of order at the agent", 0, agent.OutOfOrder);
        Expect("conversation turns the agent answered", Conversation.Turns, agent.Turns);
        Expect("conversation chunks the client received", agent.ChunksSent, Conversation.Chunks);
        Expect("bad payloads or lines at the agent", 0, agent.BadPayloads + agent.BadAnswers);
    }

    /// <summary>The run's counts, as report lines.</summary>
    public IEnumerable<string> Summary(SoakAgentReport? agent)
    {
        yield return $"messages relayed: {Relayed:N0} ({Interlocked.Read(ref _linesOut):N0} client→agent, {Interlocked.Read(ref _linesIn):N0} agent→client), " +
            $"{(Interlocked.Read(ref _bytesOut) + Interlocked.Read(ref _bytesIn)) / 1e6:N0} MB";
        yield return $"client→agent: {_echoes:N0} echo requests, {_tells:N0} tell notifications, {_cancels:N0} cancels, {_asksAnswered:N0} answers to asks";
        yield return $"conversation: {Conversation.Turns:N0} session/prompt turns answered with end_turn, {Conversation.Chunks:N0} text chunks and a usage_update each";
        yield return $"agent→client: {_results:N0} results + {_cancelledAnswers:N0} cancelled (-32800) for {_echoes:N0} requests, {_notes:N0} notes, {_asksReceived:N0} asks";
        if (agent is not null)
        {
            yield return $"agent saw: {agent.Echoes:N0} echoes, {agent.Tells:N0} tells, {agent.CancelsMatched:N0} cancels of a request still waiting, " +
                $"{agent.OutOfOrder:N0} out of order, {agent.BadPayloads + agent.BadAnswers:N0} bad; sent {agent.NotesSent:N0} notes, {agent.AsksSent:N0} asks ({agent.AsksAnswered:N0} answered)";
        }

        yield return $"errors: {Interlocked.Read(ref _errorCount):N0}";
        foreach (string error in _errors.Take(20))
        {
            yield return $"  {error}";
        }
    }

    /// <summary>True when nothing went wrong.</summary>
    public bool Clean => Interlocked.Read(ref _errorCount) == 0;
}
