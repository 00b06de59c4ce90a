using Microsoft.Extensions.Logging;

namespace AcpHost.Relay.Relay;

/// <summary>The relay's log lines. Message bodies appear only at Trace (Serilog's Verbose).</summary>
internal static partial class RelayLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Trace, Message = "{Route} {Body}")]
    public static partial void Relayed(ILogger logger, string route, string body);

    [LoggerMessage(EventId = 119, Level = LogLevel.Warning, Message = "Answered {Count} request(s) the host held back with error -32603: the relay ended before they were let go")]
    public static partial void HeldFailed(ILogger logger, int count);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Rejected a client message: {Reason} (answered with error {Code}, id {Id})")]
    public static partial void ClientMessageRejected(ILogger logger, string reason, int code, string id);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Dropped a line from the agent: {Reason}; it began: {Start}")]
    public static partial void AgentLineDropped(ILogger logger, string reason, string start);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Dropped the agent's response to id {Id}: nobody is waiting for it")]
    public static partial void UnexpectedResponse(ILogger logger, string id);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Dropped a client {Method} for {Id}: that id is the host's, not a request of the client's")]
    public static partial void ForeignCancelDropped(ILogger logger, string method, string id);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "Interceptor {Interceptor} failed on {Method}; the message goes on unchanged")]
    public static partial void InterceptorFailed(ILogger logger, Exception exception, string interceptor, string method);

    [LoggerMessage(EventId = 106, Level = LogLevel.Error, Message = "Failed to handle a line from {From}; it was dropped (a request is answered with -32603) and the relay goes on; it began: {Start}")]
    public static partial void LineFailed(ILogger logger, Exception exception, string from, string start);

    [LoggerMessage(EventId = 107, Level = LogLevel.Error, Message = "The host's handling of a {Method} message failed")]
    public static partial void HostWorkFailed(ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = 108, Level = LogLevel.Warning, Message = "The agent did not answer the host's {Method} within {Timeout}; gave up and told it so")]
    public static partial void HostRequestTimedOut(ILogger logger, string method, TimeSpan timeout);

    [LoggerMessage(EventId = 109, Level = LogLevel.Warning, Message = "The client closed its input, but the relay is still stuck writing to an agent that is not reading; ending it")]
    public static partial void ClientInputStuck(ILogger logger);

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Client closed its input; closing the agent's and letting it finish")]
    public static partial void ClientClosed(ILogger logger);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "Client stopped reading; shutting down")]
    public static partial void ClientGone(ILogger logger);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information, Message = "Stop requested; closing the agent's input and letting it finish")]
    public static partial void StopRequested(ILogger logger);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "Agent did not exit within {Grace}; killed its process tree")]
    public static partial void AgentKilled(ILogger logger, TimeSpan grace);

    [LoggerMessage(EventId = 114, Level = LogLevel.Information, Message = "Agent exited (code {ExitCode})")]
    public static partial void AgentExited(ILogger logger, int exitCode);

    [LoggerMessage(EventId = 115, Level = LogLevel.Error, Message = "Agent exited unexpectedly (code {ExitCode}); last stderr lines: {Stderr}")]
    public static partial void AgentLost(ILogger logger, int exitCode, string stderr);

    [LoggerMessage(EventId = 116, Level = LogLevel.Warning, Message = "Answered {Count} request(s) the agent left unanswered with error -32603")]
    public static partial void PendingFailed(ILogger logger, int count);

    [LoggerMessage(EventId = 118, Level = LogLevel.Warning, Message = "The client is not reading its input; error replies for unanswered requests were not all delivered")]
    public static partial void ClientNotReading(ILogger logger);

    [LoggerMessage(EventId = 120, Level = LogLevel.Warning, Message = "Restarting the agent (attempt {Attempt}; it exited with code {ExitCode}) in {Delay}")]
    public static partial void Restarting(ILogger logger, int attempt, int exitCode, TimeSpan delay);

    [LoggerMessage(EventId = 121, Level = LogLevel.Error, Message = "Restart attempt {Attempt} could not start the agent")]
    public static partial void RestartFailed(ILogger logger, Exception exception, int attempt);

    [LoggerMessage(EventId = 122, Level = LogLevel.Warning, Message = "Restart attempt {Attempt}: restoring the new agent failed")]
    public static partial void RestoreFailed(ILogger logger, Exception exception, int attempt);

    [LoggerMessage(EventId = 123, Level = LogLevel.Critical, Message = "The agent is gone and will not be restarted again ({Restarts} restart(s) so far); exiting")]
    public static partial void RestartsExhausted(ILogger logger, int restarts);

    [LoggerMessage(EventId = 117, Level = LogLevel.Warning, Message = "Agent closed its output but is still running; ending it")]
    public static partial void AgentOutputClosed(ILogger logger);
}
