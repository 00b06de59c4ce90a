namespace AcpHost.EndToEnd.Tests.Otlp;

/// <summary>A log record as it arrived: its resource's attributes, its own, and its time.</summary>
public sealed record OtlpLog(IReadOnlyDictionary<string, object?> Resource, IReadOnlyDictionary<string, object?> Attributes, DateTimeOffset Time, string? EventName)
{
    public object? this[string name] => Attributes.GetValueOrDefault(name);
}

/// <summary>One data point of a sum, gauge or histogram (its count), with the metric's name and the point's attributes.</summary>
public sealed record OtlpPoint(string Metric, IReadOnlyDictionary<string, object?> Attributes, double Value);

/// <summary>
/// Reads OTLP export requests with the field numbers of the OTLP specification (opentelemetry-proto, logs/v1,
/// metrics/v1, common/v1, resource/v1).
/// </summary>
public static class OtlpDecoder
{
    /// <summary>ExportLogsServiceRequest: resource_logs = 1; ResourceLogs: resource = 1, scope_logs = 2; ScopeLogs: log_records = 2.</summary>
    public static IEnumerable<OtlpLog> Logs(ReadOnlyMemory<byte> request)
    {
        foreach (ReadOnlyMemory<byte> resourceLogs in ProtoReader.Messages(request, 1))
        {
            Dictionary<string, object?> resource = Resource(resourceLogs);
            foreach (ReadOnlyMemory<byte> scope in ProtoReader.Messages(resourceLogs, 2))
            {
                foreach (ReadOnlyMemory<byte> record in ProtoReader.Messages(scope, 2))
                {
                    // LogRecord: time_unix_nano = 1 (fixed64), attributes = 6, event_name = 12.
                    List<ProtoField> fields = ProtoReader.Fields(record);
                    ulong nanos = fields.FirstOrDefault(f => f.Number == 1).Number64;
                    string? eventName = fields.Where(f => f.Number == 12).Select(f => f.Text).FirstOrDefault();
                    yield return new OtlpLog(resource, Attributes(fields, 6), DateTimeOffset.UnixEpoch.AddTicks((long)(nanos / 100)), eventName);
                }
            }
        }
    }

    /// <summary>
    /// ExportMetricsServiceRequest: resource_metrics = 1; ResourceMetrics: resource = 1, scope_metrics = 2;
    /// ScopeMetrics: metrics = 2; Metric: name = 1, gauge = 5, sum = 7, histogram = 9; each with data_points = 1.
    /// </summary>
    public static IEnumerable<OtlpPoint> Metrics(ReadOnlyMemory<byte> request)
    {
        foreach (ReadOnlyMemory<byte> resourceMetrics in ProtoReader.Messages(request, 1))
        {
            foreach (ReadOnlyMemory<byte> scope in ProtoReader.Messages(resourceMetrics, 2))
            {
                foreach (ReadOnlyMemory<byte> metric in ProtoReader.Messages(scope, 2))
                {
                    List<ProtoField> fields = ProtoReader.Fields(metric);
                    string name = fields.First(f => f.Number == 1).Text;
                    foreach (ProtoField data in fields.Where(f => f.Number is 5 or 7 or 9))
                    {
                        foreach (ReadOnlyMemory<byte> point in ProtoReader.Messages(data.Bytes, 1))
                        {
                            yield return Point(name, data.Number == 9, ProtoReader.Fields(point));
                        }
                    }
                }
            }
        }
    }

    // NumberDataPoint: as_double = 4 (fixed64), as_int = 6 (sfixed64), attributes = 7.
    // HistogramDataPoint: count = 4 (fixed64), attributes = 9.
    private static OtlpPoint Point(string name, bool histogram, List<ProtoField> fields)
    {
        if (histogram)
        {
            return new OtlpPoint(name, Attributes(fields, 9), fields.FirstOrDefault(f => f.Number == 4).Number64);
        }

        ProtoField value = fields.FirstOrDefault(f => f.Number is 4 or 6);
        return new OtlpPoint(name, Attributes(fields, 7), value.Number == 4 ? value.Real : (long)value.Number64);
    }

    // Resource: attributes = 1.
    private static Dictionary<string, object?> Resource(ReadOnlyMemory<byte> parent) =>
        ProtoReader.Messages(parent, 1).Select(r => Attributes(ProtoReader.Fields(r), 1)).FirstOrDefault() ?? [];

    // KeyValue: key = 1, value = 2; AnyValue: string = 1, bool = 2, int = 3, double = 4.
    private static Dictionary<string, object?> Attributes(List<ProtoField> fields, int number)
    {
        var attributes = new Dictionary<string, object?>();
        foreach (ProtoField keyValue in fields.Where(f => f.Number == number))
        {
            List<ProtoField> pair = ProtoReader.Fields(keyValue.Bytes);
            string key = pair.First(f => f.Number == 1).Text;
            ProtoField any = ProtoReader.Fields(pair.FirstOrDefault(f => f.Number == 2).Bytes).FirstOrDefault();
            attributes[key] = any.Number switch
            {
                1 => any.Text,
                2 => any.Number64 != 0,
                3 => (long)any.Number64,
                4 => any.Real,
                _ => null,
            };
        }

        return attributes;
    }
}
