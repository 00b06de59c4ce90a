namespace AcpHost.Usage;

/// <summary>
/// The median of many context sizes in bounded memory. The first <see cref="ExactLimit"/> values are kept as they are,
/// and their median is exact (the mean of the middle two for an even count); past that they are counted in buckets one
/// percent wide, so the median is within half a percent of the exact one, and the memory is at most one small counter
/// per bucket a value fell in: about 1,500 buckets span 1 token to 2 million, whatever the number of requests.
/// </summary>
internal sealed class ContextMedian
{
    /// <summary>How many values are kept exactly.</summary>
    public const int ExactLimit = 64;

    private static readonly double LogStep = Math.Log(1.01);

    private List<long>? _exact = [];
    private Dictionary<int, long>? _buckets;

    /// <summary>Values added.</summary>
    public long Count { get; private set; }

    /// <summary>Adds one value.</summary>
    public void Add(long value)
    {
        Count++;
        if (_exact is not null && _exact.Count < ExactLimit)
        {
            _exact.Add(value);
            return;
        }

        Spill();
        AddToBucket(value, 1);
    }

    /// <summary>Adds every value of <paramref name="other"/>.</summary>
    public void Add(ContextMedian other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._exact is { } values)
        {
            foreach (long value in values)
            {
                Add(value);
            }

            return;
        }

        Spill();
        Count += other.Count;
        foreach ((int bucket, long count) in other._buckets!)
        {
            _buckets![bucket] = _buckets.GetValueOrDefault(bucket) + count;
        }
    }

    /// <summary>The median; null when no value was added.</summary>
    public long? Median()
    {
        if (Count == 0)
        {
            return null;
        }

        if (_exact is { } exact)
        {
            List<long> sorted = [.. exact.Order()];
            int n = sorted.Count;
            return n % 2 == 1 ? sorted[n / 2] : (long)(((Int128)sorted[(n / 2) - 1] + sorted[n / 2]) / 2);
        }

        long lower = ValueAtRank((Count - 1) / 2);
        long upper = ValueAtRank(Count / 2);
        return (long)(((Int128)lower + upper) / 2);
    }

    private void Spill()
    {
        if (_exact is null)
        {
            return;
        }

        _buckets = [];
        foreach (long value in _exact)
        {
            AddToBucket(value, 1);
        }

        _exact = null;
    }

    private void AddToBucket(long value, long count)
    {
        int bucket = Bucket(value);
        _buckets![bucket] = _buckets.GetValueOrDefault(bucket) + count;
    }

    // Bucket 0 holds zero and below; bucket k >= 1 holds [1.01^(k-1), 1.01^k).
    private static int Bucket(long value) => value <= 0 ? 0 : 1 + (int)Math.Floor(Math.Log(value) / LogStep);

    // The representative value of the bucket holding the value of this rank (0-based): its geometric middle.
    private long ValueAtRank(long rank)
    {
        long seen = 0;
        foreach (int bucket in _buckets!.Keys.Order())
        {
            seen += _buckets[bucket];
            if (seen > rank)
            {
                return bucket == 0 ? 0 : (long)Math.Round(Math.Exp((bucket - 0.5) * LogStep));
            }
        }

        return 0;
    }
}
