using System.Text;
using AcpHost.Relay.Transport;

namespace AcpHost.Tests.Support;

/// <summary>Records what a <see cref="LinePump"/> hands over.</summary>
internal sealed class CollectingHandler : ILineHandler
{
    public List<byte[]> Lines { get; } = [];

    public int Oversized { get; private set; }

    public int Drained { get; private set; }

    public IEnumerable<string> Text => Lines.Select(line => Encoding.UTF8.GetString(line));

    public ValueTask<bool> OnLineAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        Lines.Add(line.ToArray());
        return ValueTask.FromResult(true);
    }

    public ValueTask<bool> OnOversizedAsync(CancellationToken cancellationToken)
    {
        Oversized++;
        return ValueTask.FromResult(true);
    }

    public ValueTask<bool> OnDrainedAsync(CancellationToken cancellationToken)
    {
        Drained++;
        return ValueTask.FromResult(true);
    }
}
