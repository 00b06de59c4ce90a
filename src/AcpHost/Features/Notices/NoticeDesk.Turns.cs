using AcpHost.Acp;
using AcpHost.State;

namespace AcpHost.Features.Notices;

/// <summary>
/// The desk's side of the turns: which run (as <see cref="TurnEndHold"/> tells it), and what the end of a held turn
/// waits for: the notices built at its end, then the ones expected in it, at most <see cref="TurnEndBound"/>.
/// </summary>
internal sealed partial class NoticeDesk
{
    /// <summary>A turn of the session began: an ACP v1 prompt went to the agent, or a v2 agent reported it running.</summary>
    public void TurnBegan(string sessionId, bool v2)
    {
        lock (_lock)
        {
            SessionNotices state = Current(sessionId);
            if (v2)
            {
                state.Running = true;
            }
            else
            {
                state.Prompts++;
            }
        }
    }

    /// <summary>
    /// A turn of the session ended on the wire. True when its end is to be held for the notices due in it (the session
    /// then counts as in a turn until <see cref="SettleTurnAsync"/> is done); false when nothing is due, or its end is
    /// held already.
    /// </summary>
    public bool TurnEnded(string sessionId, bool v2)
    {
        lock (_lock)
        {
            SessionNotices state = Current(sessionId);
            if (v2)
            {
                state.Running = false;
            }
            else
            {
                state.Prompts = Math.Max(0, state.Prompts - 1);
            }

            if (state.Ending || (state.AtTurnEnd.Count == 0 && !Expecting(state)))
            {
                return false;
            }

            state.Ending = true;
            return true;
        }
    }

    /// <summary>
    /// The end of the session's turn is held: runs what waits for it and posts what that returns, then waits for the
    /// expected notices, until <paramref name="bounded"/> fires. Notices posted meanwhile count as inside the turn.
    /// </summary>
    public async Task SettleTurnAsync(string sessionId, CancellationToken bounded)
    {
        List<Func<CancellationToken, Task<HostNotice?>>> builds;
        lock (_lock)
        {
            SessionNotices state = StateOf(sessionId);
            builds = [.. state.AtTurnEnd];
            state.AtTurnEnd.Clear();
        }

        try
        {
            foreach (Func<CancellationToken, Task<HostNotice?>> build in builds)
            {
                await PostBuiltAsync(sessionId, build, bounded).ConfigureAwait(false);
            }

            while (true)
            {
                Task changed = Volatile.Read(ref _changed).Task;
                lock (_lock)
                {
                    if (!Expecting(StateOf(sessionId)))
                    {
                        return;
                    }
                }

                await changed.WaitAsync(bounded).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested)
        {
            // The turn goes on without them: what comes later belongs to no running turn.
            TurnEndNotWaited(log, sessionId, TurnEndBound);
            lock (_lock)
            {
                StateOf(sessionId).Expected.Clear();
            }
        }
        finally
        {
            lock (_lock)
            {
                StateOf(sessionId).Ending = false;
            }
        }
    }

    private async Task PostBuiltAsync(string sessionId, Func<CancellationToken, Task<HostNotice?>> build, CancellationToken bounded)
    {
        HostNotice? notice;
        try
        {
            notice = await build(bounded).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !bounded.IsCancellationRequested)
        {
            // A notice that cannot be made costs that notice, never the turn it was for.
            NoticeNotBuilt(log, ex, sessionId);
            return;
        }

        if (notice is not null)
        {
            await PostAsync(notice, bounded).ConfigureAwait(false);
        }
    }

    private bool InTurn(string sessionId)
    {
        lock (_lock)
        {
            SessionNotices state = Current(sessionId);
            return state.Ending || state.Running || state.Prompts > 0;
        }
    }

    /// <summary>The session's state, its turns voided if the agent that ran them was replaced since.</summary>
    private SessionNotices Current(string sessionId)
    {
        SessionNotices state = StateOf(sessionId);
        if (state.Generation != turns.Generation)
        {
            state.Generation = turns.Generation;
            state.Prompts = 0;
            state.Running = false;
        }

        return state;
    }

    private bool Expecting(SessionNotices state)
    {
        // Asked at the end of every turn: nothing is built when nothing is expected.
        if (state.Expected.Count == 0)
        {
            return false;
        }

        DateTimeOffset now = _time.GetUtcNow();
        foreach (string stale in state.Expected.Where(e => e.Value <= now).Select(e => e.Key).ToList())
        {
            state.Expected.Remove(stale);
        }

        return state.Expected.Count > 0;
    }
}
