using System.Diagnostics;
using System.IO.Pipelines;
using AcpHost.Bench.Streams;

namespace AcpHost.Bench.Driver;

/// <summary>
/// The process the driver talks to (the agent, or the relay in front of it): requests go to its stdin with plain
/// synchronous writes, its stdout is read through a <see cref="PipeReader"/> over blocking reads (<see cref="BlockingStream"/>:
/// the driver sleeps in <c>read()</c> like an editor's event loop, and a timeout ends a stuck read by killing the child),
/// and its stderr goes to a log file so that nothing but the report reaches the console. Disposing kills whatever is
/// still running, grandchildren included.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;
    private static readonly TimeSpan StderrGrace = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly Stream _input;
    private readonly Task _stderrCopy;

    private ChildProcess(Process process, string stderrPath)
    {
        _process = process;
        _input = process.StandardInput.BaseStream;
        Output = PipeReader.Create(
            new BlockingStream(process.StandardOutput.BaseStream),
            new StreamPipeReaderOptions(bufferSize: BufferSize, minimumReadSize: BufferSize / 4));
        _stderrCopy = CopyStderrAsync(process.StandardError.BaseStream, stderrPath);
    }

    /// <summary>The child's stdout.</summary>
    public PipeReader Output { get; }

    /// <summary>The child's process id, for reading its /proc entries.</summary>
    public int Id => _process.Id;

    /// <summary>The CPU time (user and system, all threads) the child has used so far; its own children not included.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts <paramref name="commandLine"/> with all three standard streams redirected.</summary>
    public static ChildProcess Start(IReadOnlyList<string> commandLine, string stderrPath)
    {
        var startInfo = new ProcessStartInfo(commandLine[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string word in commandLine.Skip(1))
        {
            startInfo.ArgumentList.Add(word);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{commandLine[0]} did not start");
        return new ChildProcess(process, stderrPath);
    }

    /// <summary>
    /// Writes one request. Synchronously on purpose: a request is a few dozen bytes that fit in the pipe at once,
    /// and an asynchronous write would add a thread-pool hop to every measured round trip.
    /// </summary>
    public void Send(ReadOnlySpan<byte> line) => _input.Write(line);

    /// <summary>
    /// Closes the child's stdin, reads its stdout to the end and waits for it to exit, as a well-behaved editor would.
    /// Returns the exit code.
    /// </summary>
    public async Task<int> CloseAsync(CancellationToken cancellationToken)
    {
        await _input.DisposeAsync();
        while (true)
        {
            ReadResult result = await Output.ReadAsync(cancellationToken);
            Output.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    /// <summary>Kills the child and its descendants; harmless when they have already exited.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited, or never got a pid: nothing left to kill.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Kill();
        await Output.CompleteAsync();
        try
        {
            await _input.DisposeAsync();
        }
        catch (IOException)
        {
            // The child is dead; its stdin may already be a broken pipe.
        }

        try
        {
            await _stderrCopy.WaitAsync(StderrGrace);
        }
        catch (TimeoutException)
        {
            // A descendant that escaped the kill may hold stderr open for ever; the run must end regardless.
        }

        _process.Dispose();
    }

    private static async Task CopyStderrAsync(Stream stderr, string path)
    {
        try
        {
            await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 4096, useAsync: true);
            await stderr.CopyToAsync(file);
        }
        catch (IOException)
        {
            // Losing the tail of a log must not fail the run it belongs to.
        }
    }
}
