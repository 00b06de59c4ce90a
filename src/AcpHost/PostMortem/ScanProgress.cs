using System.Diagnostics;
using System.Globalization;

namespace AcpHost.PostMortem;

/// <summary>
/// Progress of a long scan on stderr: a line per <see cref="Step"/> read, when a person is watching (stderr is a
/// terminal) or once the scan has taken over two seconds; a quick scan of a small history stays silent.
/// Called from the scanning threads.
/// </summary>
internal sealed class ScanProgress(TextWriter error, long totalBytes, bool interactive)
{
    /// <summary>Bytes between two progress lines.</summary>
    public const long Step = 256L * 1024 * 1024;

    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private long _read;
    private long _next = Step;

    /// <summary>Counts <paramref name="bytes"/> more and writes a line when a step was crossed.</summary>
    public void Add(long bytes)
    {
        long read = Interlocked.Add(ref _read, bytes);
        if (read < Volatile.Read(ref _next))
        {
            return;
        }

        lock (_lock)
        {
            if (read < _next)
            {
                return;
            }

            _next = (read / Step + 1) * Step;
            if (interactive || _clock.Elapsed > Quiet)
            {
                error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"acphost: scanned {read / (1024 * 1024):N0} of {totalBytes / (1024 * 1024):N0} MB ({_clock.Elapsed.TotalSeconds:N1} s)"));
            }
        }
    }
}
