using System.ComponentModel;
using System.Diagnostics;

namespace AcpHost.Agent;

/// <summary>
/// Runs a short-lived tool (node, npm) with its output captured line by line, never inherited: the host's stdout
/// belongs to the protocol even while npm installs the agent.
/// </summary>
internal static class ToolRunner
{
    /// <summary>Runs the tool; returns its exit code, or null when it could not be started at all.</summary>
    public static async Task<int?> RunAsync(
        string fileName, IEnumerable<string> arguments, string? workingDirectory, Action<string> onOutputLine, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = startInfo };
        Relay.Transport.ChildDescriptors.CloseOnExec();
        try
        {
            process.Start();
        }
        catch (Win32Exception)
        {
            return null;
        }

        process.StandardInput.Close();
        Task stdout = PumpAsync(process.StandardOutput, onOutputLine);
        Task stderr = PumpAsync(process.StandardError, onOutputLine);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"'{fileName}' did not finish within {timeout.TotalSeconds:0} s");
        }

        await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        return process.ExitCode;
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> onLine)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.Length > 0)
            {
                onLine(line);
            }
        }
    }
}
