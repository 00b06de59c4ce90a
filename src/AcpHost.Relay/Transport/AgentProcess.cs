using System.ComponentModel;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using AcpHost.Relay.Diagnostics;
using Microsoft.Extensions.Logging;

namespace AcpHost.Relay.Transport;

/// <summary>
/// The agent as a child process on stdio. Its stderr goes to the log (and a short tail is kept to quote when it
/// dies); stdout and stdin are exposed as pipes. Shutting down kills the whole process tree after a grace period,
/// because the Claude agent starts a native child of its own that must not outlive the host.
/// </summary>
public sealed partial class AgentProcess : IAgentConnection
{
    private const int PipeBufferSize = 64 * 1024;

    private readonly Process _process;
    private readonly StderrTail _stderrTail;

    // The agent's own log: a chatty agent is logged in full, one flooding stderr is logged at this rate and counted.
    private readonly LogGate _stderrGate = new(1000, TimeSpan.FromSeconds(10));
    private readonly ILogger _agentLog;
    private readonly Task _stderrPump;
    private readonly TaskCompletionSource<AgentExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _killedByHost;
    private int _disposed;

    private AgentProcess(Process process, ILogger agentLog, TimeSpan readSpin, int stderrTailLines)
    {
        _process = process;
        _agentLog = agentLog;
        _stderrTail = new StderrTail(stderrTailLines);
        PipeCapacity.TryGrow(process.StandardOutput.BaseStream);
        PipeCapacity.TryGrow(process.StandardInput.BaseStream);
        Output = ReaderThread.Start(
            process.StandardOutput.BaseStream, "acphost agent stdout", ReadinessSpin.For(process.StandardOutput.BaseStream, readSpin));
        Input = PipeWriter.Create(process.StandardInput.BaseStream, new StreamPipeWriterOptions(minimumBufferSize: PipeBufferSize));
        _stderrPump = Task.Run(PumpStderrAsync);
        _ = WatchExitAsync();
    }

    /// <inheritdoc/>
    public PipeReader Output { get; }

    /// <inheritdoc/>
    public PipeWriter Input { get; }

    /// <inheritdoc/>
    public Task<AgentExit> Exited => _exited.Task;

    /// <summary>The child's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>
    /// Starts the agent. <paramref name="agentLog"/> receives its stderr lines; <paramref name="readSpin"/> is how long
    /// the stdout reader waits awake before each blocking read (<see cref="ReadinessSpin"/>; zero: none). Throws
    /// <see cref="AgentStartException"/> with a readable reason when the executable cannot be started.
    /// </summary>
    public static AgentProcess Start(AgentLaunch launch, ILogger agentLog, TimeSpan readSpin = default, int stderrTailLines = 40)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        var startInfo = new ProcessStartInfo(launch.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = utf8,
            StandardOutputEncoding = utf8,
            StandardErrorEncoding = utf8,
            WorkingDirectory = Environment.CurrentDirectory,
        };
        foreach (string argument in launch.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (launch.Environment is not null)
        {
            foreach ((string name, string value) in launch.Environment)
            {
                startInfo.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = startInfo };
        OrphanReaper.BecomeSubreaper();
        ChildDescriptors.CloseOnExec();
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new AgentStartException($"Cannot start the agent '{launch.Display}': {ex.Message}", ex);
        }

        OrphanReaper.Adopt(process.Id);
        return new AgentProcess(process, agentLog, readSpin, stderrTailLines);
    }

    /// <inheritdoc/>
    public async Task<AgentExit> ShutdownAsync(TimeSpan grace)
    {
        Task finished = await Task.WhenAny(_exited.Task, Task.Delay(grace)).ConfigureAwait(false);
        if (finished != _exited.Task)
        {
            Kill();
        }

        return await _exited.Task.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (!_exited.Task.IsCompleted)
        {
            Kill();
        }

        await _exited.Task.ConfigureAwait(false);
        await _stderrPump.ConfigureAwait(false);
        _process.Dispose();
    }

    private void Kill()
    {
        _killedByHost = true;
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    private async Task WatchExitAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        int orphans = OrphanReaper.ReapAfter(_process.Id);
        if (orphans > 0)
        {
            LogOrphansKilled(_agentLog, orphans);
        }

        // Stderr is read to its end first so the tail quoted in errors holds the agent's last words.
        await Task.WhenAny(_stderrPump, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        _exited.TrySetResult(new AgentExit(_process.ExitCode, _stderrTail.Snapshot(), _killedByHost));
    }

    private async Task PumpStderrAsync()
    {
        try
        {
            await StderrLines.ReadAsync(_process.StandardError.BaseStream, OnStderrLine).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The pipe broke with the process; what was read is logged.
        }
        catch (ObjectDisposedException)
        {
            // Likewise.
        }
    }

    private void OnStderrLine(string line, long dropped)
    {
        if (dropped > 0)
        {
            line = $"{line}… ({dropped} more bytes of this line not logged)";
        }

        _stderrTail.Add(line);
        GatedLog.Write(_agentLog, _stderrGate, "agent stderr", line, static (log, text) => LogAgentStderr(log, text));
    }

    [LoggerMessage(EventId = 140, Level = LogLevel.Warning, Message = "The agent left {Count} process(es) running after it exited; killed them")]
    private static partial void LogOrphansKilled(ILogger logger, int count);

    [LoggerMessage(EventId = 141, Level = LogLevel.Information, Message = "{AgentLine}")]
    private static partial void LogAgentStderr(ILogger logger, string agentLine);
}
