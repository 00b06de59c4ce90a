using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AcpHost.EndToEnd.Tests.Support;

/// <summary>
/// A running acphost process seen from the editor's side: send lines, make requests, wait for messages. Every line
/// it writes to stdout is kept raw, so a test can check that nothing but JSON-RPC ever came out.
/// </summary>
public sealed partial class HostUnderTest : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<JsonElement> _messages = [];
    private readonly StringBuilder _stderr = new();
    private readonly Lock _lock = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private readonly SemaphoreSlim _arrived = new(0);
    private int _nextId;

    private HostUnderTest(Process process)
    {
        _process = process;
        _stdoutPump = Task.Run(PumpStdoutAsync);
        _stderrPump = Task.Run(PumpStderrAsync);
    }

    public int ProcessId => _process.Id;

    /// <summary>Every stdout line so far, exactly as written.</summary>
    public IReadOnlyList<string> StdoutLines
    {
        get
        {
            lock (_lock)
            {
                return [.. _stdout];
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_lock)
            {
                return _stderr.ToString();
            }
        }
    }

    public static HostUnderTest Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        ProcessStartInfo info = HostCommand.StartInfo(arguments, environment);
        info.WorkingDirectory = workingDirectory;
        return new HostUnderTest(Process.Start(info)!);
    }

    public async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteAsync(line + "\n");
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Sends a request with the next integer id and waits for its response.</summary>
    public async Task<JsonElement> RequestAsync(string method, JsonNode? parameters, TimeSpan timeout)
    {
        int id = Interlocked.Increment(ref _nextId);
        return await RequestAsync(JsonValue.Create(id), method, parameters, timeout);
    }

    /// <summary>Sends a request with the given id and waits for its response.</summary>
    public async Task<JsonElement> RequestAsync(JsonNode id, string method, JsonNode? parameters, TimeSpan timeout)
    {
        string idText = id.ToJsonString();
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method };
        if (parameters is not null)
        {
            request["params"] = parameters;
        }

        int from = MessageCount;
        await SendAsync(request.ToJsonString());
        return await WaitForAsync(m => !m.TryGetProperty("method", out _) && m.TryGetProperty("id", out JsonElement i) && i.GetRawText() == idText, timeout, from);
    }

    public int MessageCount
    {
        get
        {
            lock (_lock)
            {
                return _messages.Count;
            }
        }
    }

    public IReadOnlyList<JsonElement> Messages
    {
        get
        {
            lock (_lock)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Waits for the first message at or after index <paramref name="from"/> that matches.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, TimeSpan timeout, int from = 0)
    {
        using var cts = new CancellationTokenSource(timeout);
        int next = from;
        while (true)
        {
            lock (_lock)
            {
                for (; next < _messages.Count; next++)
                {
                    if (match(_messages[next]))
                    {
                        return _messages[next];
                    }
                }
            }

            if (_stdoutPump.IsCompleted && next >= MessageCount)
            {
                throw new InvalidOperationException($"acphost closed its stdout before the awaited message arrived. Stderr:\n{Stderr}");
            }

            try
            {
                await _arrived.WaitAsync(TimeSpan.FromMilliseconds(200), cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No matching message within {timeout}. Last messages:\n{string.Join('\n', Messages.TakeLast(10))}\nStderr:\n{Stderr}");
            }
        }
    }

    public void CloseStdin() => _process.StandardInput.Close();

    /// <summary>The agent's pid, from the host's "Agent started: pid N" log line.</summary>
    public async Task<int> AgentPidAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Match match = AgentStarted().Match(Stderr);
            if (match.Success)
            {
                return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            }

            await Task.Delay(50, cts.Token);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"acphost did not exit within {timeout}. Stderr:\n{Stderr}");
        }

        await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(TimeSpan.FromSeconds(10));
        return _process.ExitCode;
    }

    /// <summary>Sends a signal by name (TERM, INT, KILL) to the host process, as a terminal or a supervisor would.</summary>
    public static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Agent started: pid (\d+)")]
    private static partial Regex AgentStarted();

    private async Task PumpStdoutAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (_lock)
            {
                _stdout.Add(line);
                try
                {
                    _messages.Add(JsonDocument.Parse(line).RootElement.Clone());
                }
                catch (JsonException)
                {
                    // Kept in _stdout; the purity check reports it.
                }
            }

            _arrived.Release();
        }
    }

    private async Task PumpStderrAsync()
    {
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            lock (_lock)
            {
                _stderr.AppendLine(line);
            }
        }
    }
}
