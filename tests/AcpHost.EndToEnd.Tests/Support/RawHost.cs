using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AcpHost.EndToEnd.Tests.Support;

/// <summary>
/// An acphost process whose stdout the test reads only when it chooses (or closes): for clients that stop reading or
/// go away. Its stderr is always read, so the host's log can be watched meanwhile.
/// </summary>
public sealed partial class RawHost : IAsyncDisposable
{
    private readonly StringBuilder _stderr = new();
    private readonly Lock _lock = new();
    private readonly Task _stderrPump;

    private RawHost(Process process)
    {
        Process = process;
        _stderrPump = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (_lock)
                {
                    _stderr.AppendLine(line);
                }
            }
        });
    }

    public Process Process { get; }

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

    /// <summary>Starts <c>acphost run --data-dir DATA -- AGENT...</c>.</summary>
    public static RawHost Start(string dataDir, params string[] agent) => Start(dataDir, [], agent);

    /// <summary>Starts <c>acphost run --data-dir DATA OPTIONS... -- AGENT...</c>.</summary>
    public static RawHost Start(string dataDir, string[] options, params string[] agent)
    {
        ProcessStartInfo info = HostCommand.StartInfo(["run", "--data-dir", dataDir, .. options, "--", .. agent], environment: null);
        return new RawHost(Process.Start(info)!);
    }

    /// <summary>Waits until the host's log matches <paramref name="pattern"/>; returns the match.</summary>
    public async Task<Match> WaitForLogAsync(Regex pattern, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Match match = pattern.Match(Stderr);
            if (match.Success)
            {
                return match;
            }

            try
            {
                await Task.Delay(50, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The host's log never matched {pattern} within {timeout}. Stderr:\n{Stderr}");
            }
        }
    }

    /// <summary>The agent's pid, from the host's "Agent started: pid N" log line.</summary>
    public async Task<int> AgentPidAsync(TimeSpan timeout) =>
        int.Parse((await WaitForLogAsync(AgentStarted(), timeout)).Groups[1].Value, CultureInfo.InvariantCulture);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await Process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"acphost did not exit within {timeout}. Stderr:\n{Stderr}");
        }

        await _stderrPump.WaitAsync(TimeSpan.FromSeconds(10));
        return Process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }

        Process.Dispose();
    }

    [GeneratedRegex(@"Agent started: pid (\d+)")]
    private static partial Regex AgentStarted();
}
