using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProtonPortSync.Observability;
using ProtonPortSync.Sync;

namespace ProtonPortSync.IntegrationTests.Observability;

/// <summary>
/// The observability server against slow and hostile peers on loopback (issue 9): held-open half-sent requests,
/// oversized heads, bodies, keep-alive, and the warning for a non-loopback address. Real sockets and real time,
/// every wait bounded.
/// </summary>
public sealed class ObservabilityServerLimitsTests : IAsyncLifetime, IDisposable
{
    private static readonly HealthSettings Health = new(TimeSpan.FromSeconds(45), 3, TimeSpan.FromSeconds(60));
    private static readonly byte[] HalfSent = Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly StatusHolder _status = new();
    private readonly List<Socket> _held = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };
    private ObservabilityServer? _server;

    public Task InitializeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _http.Dispose();
        foreach (var socket in _held)
        {
            socket.Dispose();
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Healthz_120HalfSentRequestsHeldOpen_AnsweredWithinTwoSeconds()
    {
        await StartAsync(ServerLimits.Default);
        await HoldHalfSentAsync(120);

        var (status, elapsed) = await TimedHealthAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"/healthz took {elapsed.TotalMilliseconds:F0} ms behind 120 held connections");
    }

    [Fact]
    public async Task Healthz_MoreHalfSentThanTheCap_AnsweredOnceTheHeaderTimeoutFreesSlots()
    {
        var limits = new ServerLimits { MaxConnections = 8, HeaderTimeout = TimeSpan.FromSeconds(1) };
        await StartAsync(limits);
        await HoldHalfSentAsync(20);

        var (status, elapsed) = await TimedHealthAsync();

        // 20 held, 8 slots: /healthz waits in the backlog behind at most 12 others, i.e. two header timeouts.
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"/healthz took {elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task HalfSentRequest_HeaderTimeoutPasses_ServerClosesTheConnection()
    {
        await StartAsync(ServerLimits.Default with { HeaderTimeout = TimeSpan.FromSeconds(1) });
        await HoldHalfSentAsync(1);
        var socket = _held[0];
        socket.ReceiveTimeout = 5000;
        var watch = Stopwatch.StartNew();

        var read = socket.Receive(new byte[64]);

        Assert.Equal(0, read);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task KeepAlive_TwoPipelinedRequestsOnOneConnection_BothAnsweredThenOpen()
    {
        await StartAsync(ServerLimits.Default);
        using var socket = await ConnectAsync();

        await socket.SendAsync(Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nHEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
        var text = await ReceiveUntilAsync(socket, t => t.Split("HTTP/1.1 ").Length >= 3 && t.EndsWith("\r\n\r\n", StringComparison.Ordinal));

        Assert.StartsWith("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n", text, StringComparison.Ordinal);
        Assert.Contains("ok: port 40000", text, StringComparison.Ordinal);
        Assert.Contains("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4", text, StringComparison.Ordinal);
        Assert.DoesNotContain("proton_port_sync_", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Connection: close", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedHead_431AndClosed()
    {
        await StartAsync(ServerLimits.Default);
        using var socket = await ConnectAsync();

        await socket.SendAsync(Encoding.ASCII.GetBytes("GET /metrics HTTP/1.1\r\nX-Big: " + new string('a', 9000) + "\r\n\r\n"));
        var text = await ReceiveUntilAsync(socket, _ => false);

        Assert.StartsWith("HTTP/1.1 431 ", text, StringComparison.Ordinal);
        Assert.Contains("Connection: close", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostWithBody_405AndClosed()
    {
        await StartAsync(ServerLimits.Default);
        using var socket = await ConnectAsync();

        await socket.SendAsync(Encoding.ASCII.GetBytes("POST /metrics HTTP/1.1\r\nContent-Length: 20000\r\n\r\n" + new string('a', 20000)));
        var text = await ReceiveUntilAsync(socket, _ => false);

        Assert.StartsWith("HTTP/1.1 405 Method Not Allowed\r\n", text, StringComparison.Ordinal);
        Assert.Contains("Allow: GET, HEAD\r\n", text, StringComparison.Ordinal);
        Assert.Contains("Connection: close", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GarbageRequestLine_400AndClosed()
    {
        await StartAsync(ServerLimits.Default);
        using var socket = await ConnectAsync();

        await socket.SendAsync(Encoding.ASCII.GetBytes("\u0016\u0003\u0001hello\r\n\r\n"));
        var text = await ReceiveUntilAsync(socket, _ => false);

        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_NonLoopbackAddress_WarnsThatStatusIsExposed()
    {
        var loggers = new RecordingLoggerFactory();

        // 192.0.2.1 (TEST-NET-1) is on no interface: the bind fails, but the warning came first, at start.
        await Assert.ThrowsAsync<IOException>(() => ObservabilityServer.StartAsync(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 0), Endpoints(), ServerLimits.Default, loggers, CancellationToken.None));

        var warning = Assert.Single(loggers.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal(6002, warning.EventId);
        Assert.Contains("/status", warning.Message, StringComparison.Ordinal);
        Assert.Contains("192.0.2.1", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_LoopbackAddress_NoWarning()
    {
        var loggers = new RecordingLoggerFactory();

        _server = await ObservabilityServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), Endpoints(), ServerLimits.Default, loggers, CancellationToken.None);

        Assert.DoesNotContain(loggers.Entries, e => e.Level >= LogLevel.Warning);
    }

    private ObservabilityEndpoints Endpoints() => new(new SyncMetrics("test"), _status, Health, _time);

    private async Task StartAsync(ServerLimits limits)
    {
        var now = _time.GetUtcNow();
        _status.Heartbeat(SyncState.Initial with { MappedPort = 40000, ClientPort = 40000, LeaseExpiresAt = now.AddSeconds(60), LastRenewalAt = now }, now);
        _server = await ObservabilityServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), Endpoints(), limits, NullLoggerFactory.Instance, CancellationToken.None);
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_server!.LocalEndPoint);
        return socket;
    }

    private async Task HoldHalfSentAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var socket = await ConnectAsync();
            _held.Add(socket);
            await socket.SendAsync(HalfSent);
        }
    }

    private async Task<(HttpStatusCode Status, TimeSpan Elapsed)> TimedHealthAsync()
    {
        var watch = Stopwatch.StartNew();
        using var response = await _http.GetAsync(new Uri($"http://{_server!.LocalEndPoint}/healthz"));
        return (response.StatusCode, watch.Elapsed);
    }

    /// <summary>Reads until <paramref name="done"/> holds or the server closes (bounded: 5 s, 64 KiB).</summary>
    private static async Task<string> ReceiveUntilAsync(Socket socket, Func<string, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (received.Length < 65536)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                break;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            if (done(received.ToString()))
            {
                break;
            }
        }

        return received.ToString();
    }

    private sealed class RecordingLoggerFactory : ILoggerFactory, ILogger
    {
        public List<(LogLevel Level, int EventId, string Message)> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries)
            {
                Entries.Add((logLevel, eventId.Id, formatter(state, exception)));
            }
        }
    }
}
