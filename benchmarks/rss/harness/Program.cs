using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using ProtonPortSync.Observability;
using ProtonPortSync.Recovery;
using ProtonPortSync.Sync;
using ProtonPortSync.TorrentClients;

namespace ProtonPortSync.Benchmarks;

/// <summary>rss-harness kestrel|httplistener GATEWAY_PORT METRICS_PORT PORT_FILE: the sync loop against a loopback gateway, serving metrics.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var server = args[0];
        var gateway = new IPEndPoint(IPAddress.Loopback, int.Parse(args[1], CultureInfo.InvariantCulture));
        var metricsAt = new IPEndPoint(IPAddress.Loopback, int.Parse(args[2], CultureInfo.InvariantCulture));
        using var stopping = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stopping.Cancel(); });
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        var time = TimeProvider.System;
        var settings = new SyncSettings();
        using var mapper = new NatPmpPortMapper(gateway, IPAddress.Loopback, null, 0, TimeSpan.FromSeconds(60), time, loggers.CreateLogger("natpmp"));
        var metrics = new SyncMetrics();
        var status = new StatusHolder();
        var loop = new PortSyncLoop(mapper, new PortFileClient(args[3]), new NoRecovery(), new CompositeSyncObserver([metrics, status]), settings, time, loggers.CreateLogger<PortSyncLoop>());
        if (server == "kestrel")
        {
            await using var kestrel = await ObservabilityServer.StartAsync(metricsAt, metrics, status, HealthSettings.From(settings), time, loggers, stopping.Token);
            await loop.RunAsync(stopping.Token);
        }
        else
        {
            using var listener = new HttpListener();
            listener.Prefixes.Add($"http://{metricsAt}/");
            listener.Start();
            var serving = ServeAsync(listener, metrics, stopping.Token);
            await loop.RunAsync(stopping.Token);
            listener.Stop();
            await serving.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        return 0;
    }

    /// <summary>What prometheus-net's MetricServer does: HttpListener, one context at a time, the registry exported.</summary>
    private static async Task ServeAsync(HttpListener listener, SyncMetrics metrics, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var context = await listener.GetContextAsync();
            context.Response.ContentType = ObservabilityEndpoints.PrometheusContentType;
            await metrics.ExportAsync(context.Response.OutputStream, ct);
            context.Response.Close();
        }
    }

    private sealed class PortFileClient(string path) : ITorrentClient
    {
        public string Name => "file";

        public async Task<int> GetListenPortAsync(CancellationToken cancellationToken)
            => File.Exists(path) && int.TryParse(await File.ReadAllTextAsync(path, cancellationToken), CultureInfo.InvariantCulture, out var p) ? p : 0;

        public Task SetListenPortAsync(int port, CancellationToken cancellationToken)
            => File.WriteAllTextAsync(path, port.ToString(CultureInfo.InvariantCulture), cancellationToken);

        public Task RebindAsync(int port, CancellationToken cancellationToken) => SetListenPortAsync(port, cancellationToken);
    }

    private sealed class NoRecovery : IRecoveryAction
    {
        public string Description => "none";

        public Task RecoverAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
