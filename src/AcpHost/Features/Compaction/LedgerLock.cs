using System.Diagnostics;

namespace AcpHost.Features.Compaction;

/// <summary>
/// The ledger's cross-process write lock: an exclusive open (<see cref="FileShare.None"/>) of a lock file beside the
/// ledger. On Linux and macOS .NET backs that with <c>flock(LOCK_EX | LOCK_NB)</c>, on Windows with a sharing lock.
/// </summary>
/// <remarks>
/// Not <see cref="FileStream.Lock"/>: on Unix that is a classic <c>fcntl</c> record lock, which belongs to the
/// process (two handles in one process never exclude each other, and closing <em>any</em> handle to the file, such as
/// a reader's, silently drops it), and on macOS it throws <see cref="PlatformNotSupportedException"/>. A
/// <c>flock</c> belongs to the open file, so it excludes every other opener, in this process or another, and the
/// kernel drops it when the holder closes the file or dies. The lock file is never deleted: unlinking it while another
/// process waits on it would let two writers hold "the" lock on two different files. The one way around it is
/// <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c>, which turns .NET's file locking off on purpose.
/// </remarks>
internal static class LedgerLock
{
    private const int MaxDelayMs = 16;

    /// <summary>
    /// Opens <paramref name="path"/> exclusively, retrying with short sleeps while another writer holds it;
    /// disposing the stream releases the lock.
    /// </summary>
    /// <exception cref="IOException">The lock was not free within <paramref name="timeout"/>.</exception>
    public static async Task<FileStream> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
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
