namespace AcpHost.Relay.Transport;

/// <summary>The last few lines a process wrote to stderr: a fixed-size ring, safe to read while it is written.</summary>
public sealed class StderrTail
{
    private readonly string[] _lines;
    private readonly Lock _lock = new();
    private int _next;
    private int _count;

    /// <summary>Keeps at most <paramref name="capacity"/> lines.</summary>
    public StderrTail(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _lines = new string[capacity];
    }

    /// <summary>Records a line, dropping the oldest when full.</summary>
    public void Add(string line)
    {
        lock (_lock)
        {
            _lines[_next] = line;
            _next = (_next + 1) % _lines.Length;
            _count = Math.Min(_count + 1, _lines.Length);
        }
    }

    /// <summary>The lines kept, oldest first.</summary>
    public IReadOnlyList<string> Snapshot()
    {
        lock (_lock)
        {
            var result = new string[_count];
            int start = (_next - _count + _lines.Length) % _lines.Length;
            for (int i = 0; i < _count; i++)
            {
                result[i] = _lines[(start + i) % _lines.Length];
            }

            return result;
        }
    }
}
