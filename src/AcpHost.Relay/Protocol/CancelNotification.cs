using System.Buffers;

namespace AcpHost.Relay.Protocol;

/// <summary>
/// A protocol's notification that gives up on a request by naming its id in a member of <c>params</c>. Because it
/// names an id, it must follow id aliasing on its way to the agent; the host also sends it for requests of its own that
/// it stops waiting for. The protocol on top of JSON-RPC says which method and member (for ACP, see
/// <c>AcpHost.Acp.AcpDialect</c>).
/// </summary>
public sealed class CancelNotification
{
    private readonly byte[] _idMember;

    /// <summary>A cancel notification named <paramref name="method"/> that names its request in <c>params.</c><paramref name="idMember"/>.</summary>
    public CancelNotification(string method, string idMember)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(idMember);
        Method = method;
        IdMember = idMember;
        _idMember = System.Text.Encoding.UTF8.GetBytes(idMember);
    }

    /// <summary>The method name.</summary>
    public string Method { get; }

    /// <summary>The member of <c>params</c> that names the request.</summary>
    public string IdMember { get; }

    /// <summary>Finds the id a cancel line names, as the agent reads it (see <see cref="IdRewriter.TryFindParamsMember"/>).</summary>
    public bool TryFindTarget(ReadOnlySpan<byte> line, out RequestId requestId, out long start, out long length) =>
        IdRewriter.TryFindParamsMember(line, _idMember, out requestId, out start, out length);

    /// <summary>Writes the notification that cancels <paramref name="id"/>.</summary>
    public void Write(IBufferWriter<byte> buffer, RequestId id)
    {
        byte[] parameters = JsonRpcWriter.ToBytes(writer =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName(_idMember);
            id.WriteTo(writer);
            writer.WriteEndObject();
        });
        JsonRpcWriter.WriteNotification(buffer, Method, parameters);
    }
}
