using System.Collections.Frozen;

namespace AcpHost.Relay.Relay;

/// <summary>The interceptors by method name, built once: the hot path asks one frozen dictionary per message.</summary>
internal sealed class InterceptorTable
{
    private readonly FrozenDictionary<string, IMessageInterceptor[]> _byMethod;

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
    }

    public bool TryGet(string? method, out IMessageInterceptor[] interceptors)
    {
        if (method is not null && _byMethod.TryGetValue(method, out IMessageInterceptor[]? found))
        {
            interceptors = found;
            return true;
        }

        interceptors = [];
        return false;
    }
}
