namespace AcpHost.State;

/// <summary>
/// Sessions the host closed on the agent while the client still holds them (host-made forks): they are reopened only
/// when used. Shared so that whatever reopens sessions after an agent restart can leave these closed.
/// </summary>
internal interface IClosedSessions
{
    /// <summary>True while the session is closed on the agent.</summary>
    bool IsClosed(string sessionId);
}
