using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ProtonPortSync.Observability;

/// <summary>The three endpoints: /metrics (Prometheus text), /healthz (200/503 and a reason), /status (JSON).</summary>
internal sealed class ObservabilityEndpoints(SyncMetrics metrics, StatusHolder status, HealthSettings health, TimeProvider time)
{
    public const string MetricsPath = "/metrics";
    public const string HealthPath = "/healthz";
    public const string StatusPath = "/status";
    public const string PrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var ct = context.RequestAborted;
        var path = request.Path.Value;
        if (path is not (MetricsPath or HealthPath or StatusPath))
        {
            await TextAsync(response, StatusCodes.Status404NotFound, $"Not found. Try {MetricsPath}, {HealthPath} or {StatusPath}.", ct);
            return;
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.Headers.Allow = "GET, HEAD";
            await TextAsync(response, StatusCodes.Status405MethodNotAllowed, "Only GET and HEAD are allowed.", ct);
            return;
        }

        response.Headers.CacheControl = "no-store";
        switch (path)
        {
            case MetricsPath:
                response.ContentType = PrometheusContentType;
                await metrics.ExportAsync(response.Body, ct);
                break;
            case HealthPath:
                var report = HealthCheck.Evaluate(status.Snapshot, time.GetUtcNow(), health);
                await TextAsync(response, report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, report.Reason, ct);
                break;
            default:
                var snapshot = status.Snapshot;
                var document = StatusDocument.Create(snapshot, HealthCheck.Evaluate(snapshot, time.GetUtcNow(), health), metrics.Counters()) with { Sinks = status.Sinks(snapshot) };
                response.ContentType = "application/json; charset=utf-8";
                await JsonSerializer.SerializeAsync(response.Body, document, StatusJsonContext.Default.StatusDocument, ct);
                break;
        }
    }

    private static Task TextAsync(HttpResponse response, int statusCode, string text, CancellationToken ct)
    {
        response.StatusCode = statusCode;
        response.ContentType = "text/plain; charset=utf-8";
        return response.Body.WriteAsync(Encoding.UTF8.GetBytes(text + "\n"), ct).AsTask();
    }
}
