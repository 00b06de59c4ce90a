namespace AcpHost.Bench.Driver;

/// <summary>One formatted request; both buffers belong to <see cref="BenchRequests"/> and are reused by the next request.</summary>
/// <param name="Line">The request line, newline included.</param>
/// <param name="Marker">The id as it appears in the response, quotes included.</param>
internal readonly record struct BenchRequest(ReadOnlyMemory<byte> Line, ReadOnlyMemory<byte> Marker);
