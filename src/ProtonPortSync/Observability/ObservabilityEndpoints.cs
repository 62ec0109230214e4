using System.Buffers;
using System.Text;
using System.Text.Json;

namespace ProtonPortSync.Observability;

/// <summary>What an endpoint answered: the status code, the body's content type, and whether to name the allowed methods.</summary>
internal readonly record struct EndpointResponse(int StatusCode, string ContentType, bool MethodNotAllowed = false);

/// <summary>The three endpoints: /metrics (Prometheus text), /healthz (200/503 and a reason), /status (JSON).</summary>
internal sealed class ObservabilityEndpoints(SyncMetrics metrics, StatusHolder status, HealthSettings health, TimeProvider time)
{
    public const string MetricsPath = "/metrics";
    public const string HealthPath = "/healthz";
    public const string StatusPath = "/status";
    public const string PrometheusContentType = PrometheusText.ContentType;
    public const string AllowedMethods = "GET, HEAD";
    private const string TextContentType = "text/plain; charset=utf-8";

    /// <summary>Answers one request: writes the body (also for HEAD; the server leaves it out) and says how.</summary>
    public EndpointResponse Respond(string method, string path, IBufferWriter<byte> body)
    {
        if (path is not (MetricsPath or HealthPath or StatusPath))
        {
            return Text(body, 404, $"Not found. Try {MetricsPath}, {HealthPath} or {StatusPath}.");
        }

        if (method is not ("GET" or "HEAD"))
        {
            return Text(body, 405, "Only GET and HEAD are allowed.") with { MethodNotAllowed = true };
        }

        switch (path)
        {
            case MetricsPath:
                metrics.Write(body);
                return new EndpointResponse(200, PrometheusContentType);
            case HealthPath:
                var report = HealthCheck.Evaluate(status.Snapshot, time.GetUtcNow(), health);
                return Text(body, report.Healthy ? 200 : 503, report.Reason);
            default:
                var snapshot = status.Snapshot;
                var document = StatusDocument.Create(snapshot, HealthCheck.Evaluate(snapshot, time.GetUtcNow(), health), metrics.Counters()) with { Sinks = status.Sinks(snapshot) };
                using (var writer = new Utf8JsonWriter(body, new JsonWriterOptions { Indented = true }))
                {
                    JsonSerializer.Serialize(writer, document, StatusJsonContext.Default.StatusDocument);
                }

                return new EndpointResponse(200, "application/json; charset=utf-8");
        }
    }

    private static EndpointResponse Text(IBufferWriter<byte> body, int statusCode, string text)
    {
        var span = body.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length) + 1);
        var written = Encoding.UTF8.GetBytes(text, span);
        span[written] = (byte)'\n';
        body.Advance(written + 1);
        return new EndpointResponse(statusCode, TextContentType);
    }
}
