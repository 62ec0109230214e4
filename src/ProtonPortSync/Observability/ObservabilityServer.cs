using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ProtonPortSync.Observability;

/// <summary>
/// Serves /metrics, /healthz and /status on --metrics-addr. Kestrel on its own, without the generic host or DI:
/// unlike HttpListener (which grew from 15 to 33 MB RSS under scraping here) it stays flat, and it is NativeAOT
/// clean. <see cref="StartAsync"/> returns once the socket is bound, so "started" means "serving".
/// </summary>
internal sealed partial class ObservabilityServer : IAsyncDisposable
{
    private readonly KestrelServer _server;
    private readonly ObservabilityEndpoints _endpoints;
    private readonly ILogger _logger;
    private int _stopped;

    private ObservabilityServer(KestrelServer server, ObservabilityEndpoints endpoints, ILogger logger)
    {
        _server = server;
        _endpoints = endpoints;
        _logger = logger;
    }

    /// <summary>The address actually bound (the real port when port 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; private set; } = new(IPAddress.None, 0);

    public static async Task<ObservabilityServer> StartAsync(IPEndPoint endpoint, SyncMetrics metrics, StatusHolder status, HealthSettings health, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var options = new KestrelServerOptions { AddServerHeader = false };

        // Scrapers and people, not the public: a few connections, small requests.
        options.Limits.MaxConcurrentConnections = 32;
        options.Limits.MaxRequestHeadersTotalSize = 8 * 1024;
        options.Limits.MaxRequestBodySize = 0;
        options.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(30);
        options.Listen(endpoint);
        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggers);
        var server = new KestrelServer(Options.Create(options), transport, loggers);
        var self = new ObservabilityServer(server, new ObservabilityEndpoints(metrics, status, health, time), loggers.CreateLogger<ObservabilityServer>());
        try
        {
            await server.StartAsync(new Application(self._endpoints), cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException)
        {
            server.Dispose();
            throw new IOException($"Cannot serve metrics on {endpoint}: {ex.Message}. Pick a free port and a local address for --metrics-addr.", ex);
        }

        self.LocalEndPoint = BoundEndPoint(server, endpoint);
        Log.Serving(self._logger, self.LocalEndPoint);
        return self;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _server.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await StopAsync(timeout.Token);
        _server.Dispose();
    }

    private static IPEndPoint BoundEndPoint(KestrelServer server, IPEndPoint requested)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return address is not null && Uri.TryCreate(address, UriKind.Absolute, out var uri)
            ? new IPEndPoint(requested.Address, uri.Port)
            : requested;
    }

    /// <summary>Kestrel's application contract without the hosting layer: one context per request.</summary>
    private sealed class Application(ObservabilityEndpoints endpoints) : IHttpApplication<HttpContext>
    {
        public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

        public Task ProcessRequestAsync(HttpContext context) => endpoints.HandleAsync(context);

        public void DisposeContext(HttpContext context, Exception? exception)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(6001, LogLevel.Information, "Serving /metrics, /healthz and /status on http://{EndPoint}")]
        public static partial void Serving(ILogger logger, IPEndPoint endPoint);
    }
}
