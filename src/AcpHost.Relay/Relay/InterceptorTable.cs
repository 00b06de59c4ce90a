using System.Collections.Frozen;

namespace AcpHost.Relay.Relay;

/// <summary>
/// The interceptors by method name, built once: the hot path asks one frozen dictionary per message. A second table
/// holds, per method, only those that want the dialect's chunks (<see cref="IMessageInterceptor.WantsChunks"/>).
/// </summary>
internal sealed class InterceptorTable
{
    private readonly FrozenDictionary<string, IMessageInterceptor[]> _byMethod;
    private readonly FrozenDictionary<string, IMessageInterceptor[]> _forChunks;

    public InterceptorTable(IEnumerable<IMessageInterceptor> interceptors)
    {
        var byMethod = new Dictionary<string, List<IMessageInterceptor>>(StringComparer.Ordinal);
        foreach (IMessageInterceptor interceptor in interceptors)
        {
            foreach (string method in interceptor.Methods)
            {
                if (!byMethod.TryGetValue(method, out List<IMessageInterceptor>? list))
                {
                    byMethod[method] = list = [];
                }

                list.Add(interceptor);
            }
        }

        _byMethod = byMethod.ToFrozenDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
        _forChunks = byMethod
            .Select(pair => (pair.Key, Wanting: pair.Value.Where(interceptor => interceptor.WantsChunks).ToArray()))
            .Where(entry => entry.Wanting.Length > 0)
            .ToFrozenDictionary(entry => entry.Key, entry => entry.Wanting, StringComparer.Ordinal);
    }

    /// <summary>The interceptors for <paramref name="method"/>; for a chunk, only those that want one.</summary>
    public bool TryGet(string? method, bool chunk, out IMessageInterceptor[] interceptors)
    {
        if (method is not null && (chunk ? _forChunks : _byMethod).TryGetValue(method, out IMessageInterceptor[]? found))
        {
            interceptors = found;
            return true;
        }

        interceptors = [];
        return false;
    }
}
