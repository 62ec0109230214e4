using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace ProtonPortSync.Observability;

/// <summary>
/// Serves /metrics, /healthz and /status on --metrics-addr: a small HTTP/1.1 server on a socket. Kestrel did the same
/// for ~7 MB of RSS and ~3.5 MB of binary (benchmarks/footprint). It serves three GET endpoints to scrapers and
/// people and protects itself from slow or hostile peers (<see cref="ServerLimits"/>): a request head must arrive
/// whole within seconds, at most <see cref="ServerLimits.MaxConnections"/> are served at once and the rest wait in
/// the backlog, so held-open connections cannot starve /healthz for longer than the header timeout.
/// <see cref="StartAsync"/> returns once the socket listens, so "started" means "serving".
/// </summary>
internal sealed partial class ObservabilityServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly ObservabilityEndpoints _endpoints;
    private readonly ServerLimits _limits;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _stop = new();
    private Task _acceptLoop = Task.CompletedTask;
    private int _stopped;

    private ObservabilityServer(Socket listener, ObservabilityEndpoints endpoints, ServerLimits limits, ILogger logger)
    {
        _listener = listener;
        _endpoints = endpoints;
        _limits = limits;
        _logger = logger;
        _slots = new SemaphoreSlim(limits.MaxConnections, limits.MaxConnections);
    }

    /// <summary>The address actually bound (the real port when port 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; private set; } = new(IPAddress.None, 0);

    public static Task<ObservabilityServer> StartAsync(IPEndPoint endpoint, SyncMetrics metrics, StatusHolder status, HealthSettings health, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
        => StartAsync(endpoint, new ObservabilityEndpoints(metrics, status, health, time), ServerLimits.Default, loggers, cancellationToken);

    public static Task<ObservabilityServer> StartAsync(IPEndPoint endpoint, ObservabilityEndpoints endpoints, ServerLimits limits, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var logger = loggers.CreateLogger<ObservabilityServer>();
        if (!IPAddress.IsLoopback(endpoint.Address))
        {
            Log.NotLoopback(logger, endpoint);
        }

        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(endpoint);
            listener.Listen(limits.MaxConnections);
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            throw new IOException($"Cannot serve metrics on {endpoint}: {ex.Message}; pick a free port and a local address for --metrics-addr.", ex);
        }

        var self = new ObservabilityServer(listener, endpoints, limits, logger)
        {
            LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!,
        };
        Log.Serving(logger, self.LocalEndPoint);

        self._acceptLoop = Task.Run(self.AcceptLoopAsync, CancellationToken.None);
        return Task.FromResult(self);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);

        // Every connection gives its slot back when it ends; holding them all means none is left.
        for (var i = 0; i < _limits.MaxConnections; i++)
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A connection that did not end within 2 s is abandoned with the process; nothing to release.
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                await _slots.WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            try
            {
                connection = await _listener.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                _slots.Release();
                break;
            }
            catch (SocketException ex)
            {
                // Out of descriptors, or a peer that reset before accept: give the slot back and pause briefly.
                _slots.Release();
                Log.AcceptFailed(_logger, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            using var connection = new Connection(socket, _endpoints, _limits, _stop.Token);
            await connection.RunAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            Log.ConnectionEnded(_logger, ex.Message);
        }
        finally
        {
            _slots.Release();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(6001, LogLevel.Information, "Serving /metrics, /healthz and /status on http://{EndPoint}")]
        public static partial void Serving(ILogger logger, IPEndPoint endPoint);

        [LoggerMessage(6002, LogLevel.Warning, "--metrics-addr {EndPoint} is not a loopback address: anyone who can reach it reads /status (the public address and the forwarded port) and /metrics; bind 127.0.0.1 or firewall the port")]
        public static partial void NotLoopback(ILogger logger, IPEndPoint endPoint);

        [LoggerMessage(6003, LogLevel.Debug, "Metrics connection ended early: {Reason}")]
        public static partial void ConnectionEnded(ILogger logger, string reason);

        [LoggerMessage(6004, LogLevel.Warning, "Accepting a metrics connection failed ({Error}); retrying")]
        public static partial void AcceptFailed(ILogger logger, string error);
    }
}
