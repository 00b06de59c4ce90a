using System.Text;

namespace AcpHost.Tests.Control;

/// <summary>A thread-safe output for a command that keeps running: the test reads the lines written so far while it writes.</summary>
internal sealed class CollectingWriter : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _text = new();

    public override Encoding Encoding => Encoding.UTF8;

    public int Flushes { get; private set; }

    /// <summary>The complete lines written so far.</summary>
    public string[] Lines
    {
        get
        {
            lock (_gate)
            {
                string text = _text.ToString();
                return text.Contains('\n', StringComparison.Ordinal) ? text[..text.LastIndexOf('\n')].Split('\n') : [];
            }
        }
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            _text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_gate)
        {
            _text.Append(value);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            _text.Append(value).Append('\n');
        }
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Flushes++;
        }

        return Task.CompletedTask;
    }

    /// <summary>Waits until at least <paramref name="count"/> lines are there, and returns them all.</summary>
    public async Task<string[]> WaitForLinesAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Lines is var lines && lines.Length < count)
        {
            await Task.Delay(20, timeout.Token);
        }

        return Lines;
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString();
        }
    }
}
