using System.Buffers.Binary;
using AcpHost.EndToEnd.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AcpHost.EndToEnd.Tests.Otlp;

/// <summary>
/// An OTLP collector stand-in on 127.0.0.1: takes log and metric exports over <c>http/protobuf</c> (HTTP/1.1, POST
/// <c>/v1/logs</c>, <c>/v1/metrics</c>) or <c>grpc</c> (HTTP/2 without TLS, the collector services' Export methods,
/// length-prefixed messages, <c>grpc-status</c> in the trailers), and keeps what it decoded.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<OtlpLog> _logs = [];
    private readonly List<OtlpPoint> _points = [];

    private OtlpReceiver(WebApplication app)
    {
        _app = app;
        _app.Run(HandleAsync);
    }

    /// <summary>What to put in <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>The protocol it receives.</summary>
    public string Protocol { get; private set; } = "";

    /// <summary>
    /// The environment that points a host's export here, flushed quickly: metrics every 500 ms, logs every 200 ms.
    /// Add to it what a test needs besides.
    /// </summary>
    public Dictionary<string, string> ExportEnvironment() => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = Protocol,
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
    };

    public IReadOnlyList<OtlpLog> Logs
    {
        get { lock (_gate) { return [.. _logs]; } }
    }

    public IReadOnlyList<OtlpPoint> Points
    {
        get { lock (_gate) { return [.. _points]; } }
    }

    /// <summary>Starts a receiver for <paramref name="protocol"/> (<c>grpc</c> or <c>http/protobuf</c>).</summary>
    public static async Task<OtlpReceiver> StartAsync(string protocol)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(OtlpReceiver).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, PassiveLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(
            System.Net.IPAddress.Loopback,
            0,
            listen => listen.Protocols = protocol == "grpc" ? HttpProtocols.Http2 : HttpProtocols.Http1));
        var receiver = new OtlpReceiver(builder.Build());
        await receiver._app.StartAsync();
        receiver.Endpoint = receiver._app.Urls.First().TrimEnd('/');
        receiver.Protocol = protocol;
        return receiver;
    }

    /// <summary>Waits until a log record matches; returns it.</summary>
    public Task<OtlpLog> WaitForLogAsync(Func<OtlpLog, bool> match, TimeSpan timeout) => WaitAsync(() => Logs.FirstOrDefault(match), timeout);

    /// <summary>Waits until a data point matches; returns it.</summary>
    public Task<OtlpPoint> WaitForPointAsync(Func<OtlpPoint, bool> match, TimeSpan timeout) => WaitAsync(() => Points.LastOrDefault(match), timeout);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<T> WaitAsync<T>(Func<T?> find, TimeSpan timeout)
        where T : class
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            if (find() is { } found)
            {
                return found;
            }

            await Task.Delay(50, cts.Token);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        ReadOnlyMemory<byte> message = body.GetBuffer().AsMemory(0, (int)body.Length);
        string path = context.Request.Path.Value ?? "";
        bool grpc = context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true;
        if (grpc)
        {
            // One length-prefixed message: a compressed flag (never set: no compression asked for) and a big-endian length.
            message = message.Slice(5, BinaryPrimitives.ReadInt32BigEndian(message.Span[1..5]));
        }

        lock (_gate)
        {
            if (path.EndsWith("/v1/logs", StringComparison.Ordinal) || path.EndsWith("LogsService/Export", StringComparison.Ordinal))
            {
                _logs.AddRange(OtlpDecoder.Logs(message));
            }
            else if (path.EndsWith("/v1/metrics", StringComparison.Ordinal) || path.EndsWith("MetricsService/Export", StringComparison.Ordinal))
            {
                _points.AddRange(OtlpDecoder.Metrics(message));
            }
        }

        if (grpc)
        {
            // An empty Export*ServiceResponse, framed, and the status in the trailers.
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(new byte[5]);
            context.Response.AppendTrailer("grpc-status", "0");
        }
        else
        {
            context.Response.ContentType = "application/x-protobuf";
        }
    }
}
