using System.Diagnostics;
using AcpHost.Relay.Platform;

namespace AcpHost.Storage.Ledgers;

/// <summary>
/// A ledger's write lock, held until disposed: first a gate shared by every thread of this process, then an exclusive
/// open (<see cref="FileShare.None"/>) of a lock file beside the ledger, which on Linux and macOS .NET backs with
/// <c>flock(LOCK_EX | LOCK_NB)</c> and on Windows with a sharing lock.
/// </summary>
/// <remarks>
/// The gate lets threads (and ledger instances) of one process queue instead of spinning on the file lock, which then
/// only ever contends with other processes.
/// Not <see cref="FileStream.Lock"/>: on Unix that is a classic <c>fcntl</c> record lock, which belongs to the
/// process (two handles in one process never exclude each other, and closing <em>any</em> handle to the file, such as
/// a reader's, silently drops it), and on macOS it throws <see cref="PlatformNotSupportedException"/>. A
/// <c>flock</c> belongs to the open file, so it excludes every other opener, in this process or another, and the
/// kernel drops it when the holder closes the file or dies. The lock file is never deleted: unlinking it while another
/// process waits on it would let two writers hold "the" lock on two different files. The one way around it is
/// <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c>, which turns .NET's file locking off on purpose.
/// </remarks>
internal sealed class LedgerLock : IDisposable
{
    private const int MaxDelayMs = 16;

    // One gate per lock file for the whole process; never removed, as there are only ever a few ledgers.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _gate;
    private readonly FileStream _file;
    private int _disposed;

    private LedgerLock(SemaphoreSlim gate, FileStream file)
    {
        _gate = gate;
        _file = file;
    }

    /// <summary>
    /// Takes the lock on <paramref name="path"/>, waiting for other threads of this process in turn, then retrying
    /// with short sleeps while another process holds the file.
    /// </summary>
    /// <exception cref="IOException">Another process did not free the lock file within <paramref name="timeout"/>.</exception>
    public static async Task<LedgerLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate = Gates.GetOrAdd(path, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return new LedgerLock(gate, await OpenExclusiveAsync(path, timeout, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    /// <summary>Releases the lock file, then the gate. Safe to call twice.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _file.Dispose();
            _gate.Release();
        }
    }

    private static async Task<FileStream> OpenExclusiveAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        OwnFiles.RefuseUnlessOwnFileOrAbsent(path);
        long started = Stopwatch.GetTimestamp();
        int delayMs = 1;
        while (true)
        {
            try
            {
                return new FileStream(path, options);
            }
            catch (IOException ex) when (ex is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
            {
                // A sharing violation is an IOException with no portable error code, so every other IOException is
                // retried too; the deadline bounds what that costs for an error that will not go away.
                if (Stopwatch.GetElapsedTime(started) >= timeout)
                {
                    throw new IOException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for the ledger lock {path}", ex);
                }
            }

            await Task.Delay(delayMs, cancellationToken).ConfigureAwait(false);
            delayMs = Math.Min(delayMs * 2, MaxDelayMs);
        }
    }
}
