using Microsoft.Extensions.Logging;
using ProtonPortSync.TorrentClients.QBittorrent;

namespace ProtonPortSync.TorrentClients.Transmission;

/// <summary>
/// Transmission (3.00 measured) through its JSON RPC: HTTP Basic authentication, the 409
/// <c>X-Transmission-Session-Id</c> handshake (again whenever the id rotates, e.g. after a restart), <c>session-set</c>
/// of <c>peer-port</c> with Transmission's own port forwarding and random port turned off, and a read-back through
/// <c>session-get</c>: Transmission answers "success" to any number and stores 70000 as 4464, so ports are validated
/// before sending. A refused password is not sent again until a long backoff ends or the file changes (100 failed
/// logins lock the RPC until Transmission restarts). Calls are serialised: one request at a time.
/// </summary>
internal sealed partial class TransmissionClient : ITorrentClient, IDisposable
{
    public const string ClientName = "transmission";
    public const int MinListenPort = 1024;
    public const int MaxListenPort = 65535;

    private static readonly string[] SessionFields = ["peer-port", "port-forwarding-enabled", "peer-port-random-on-start"];

    private readonly TransmissionOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _serial = new(1, 1);
    private readonly LoginGate _loginGate;
    private readonly SecretFile? _passwordFile;

    /// <param name="handler">The HTTP stack; the client takes ownership and disposes it. Null: a default handler.</param>
    public TransmissionClient(TransmissionOptions options, TimeProvider timeProvider, ILogger logger, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _loginGate = new LoginGate(timeProvider);
        _passwordFile = options.PasswordFile is { } p ? new SecretFile(p, "Transmission password file") : null;
        handler ??= new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectTimeout = options.RequestTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public string Name => ClientName;

    public async Task<int> GetListenPortAsync(CancellationToken cancellationToken)
        => (await GetSessionAsync(cancellationToken)).PeerPort;

    /// <summary>Reads the peer port and whether Transmission's own port forwarding and random port are on.</summary>
    public async Task<TransmissionSessionSnapshot> GetSessionAsync(CancellationToken cancellationToken)
    {
        await _serial.WaitAsync(cancellationToken);
        try
        {
            return await GetSessionCoreAsync(cancellationToken);
        }
        finally
        {
            _serial.Release();
        }
    }

    public async Task SetListenPortAsync(int port, CancellationToken cancellationToken)
    {
        ValidatePort(port);
        await _serial.WaitAsync(cancellationToken);
        try
        {
            await SetPeerPortCoreAsync(port, cancellationToken);
        }
        finally
        {
            _serial.Release();
        }
    }

    public async Task RebindAsync(int port, CancellationToken cancellationToken)
    {
        ValidatePort(port);
        // Setting the port it already has may leave a dead listener alone: move away and back.
        var temporary = port < MaxListenPort ? port + 1 : port - 1;
        await _serial.WaitAsync(cancellationToken);
        try
        {
            Log.Rebinding(_logger, port, temporary);
            await SetPeerPortCoreAsync(temporary, cancellationToken);
            await SetPeerPortCoreAsync(port, cancellationToken);
        }
        finally
        {
            _serial.Release();
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _serial.Dispose();
    }

    private static void ValidatePort(int port)
    {
        if (port is < MinListenPort or > MaxListenPort)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, $"A Transmission peer port must be {MinListenPort}–{MaxListenPort}; {port} was refused before sending (Transmission would store 70000 as 4464).");
        }
    }

    private async Task<TransmissionSessionSnapshot> GetSessionCoreAsync(CancellationToken cancellationToken)
    {
        const string method = "session-get";
        var response = await CallAsync(new TransmissionRequest { Method = method, Arguments = new() { Fields = SessionFields } }, cancellationToken);
        if (response.Arguments?.PeerPort is not { } peerPort)
        {
            throw Failure(TorrentClientFailure.InvalidResponse, $"Transmission's {method} has no arguments.peer-port field.");
        }

        if (peerPort is < 0 or > MaxListenPort)
        {
            throw Failure(TorrentClientFailure.InvalidResponse, $"Transmission's {method} has peer-port {peerPort}, outside 0–65535.");
        }

        return new TransmissionSessionSnapshot(peerPort, response.Arguments.PortForwardingEnabled, response.Arguments.PeerPortRandomOnStart);
    }

    private async Task SetPeerPortCoreAsync(int port, CancellationToken cancellationToken)
    {
        var previous = await GetSessionCoreAsync(cancellationToken);
        // Turn off Transmission's own UPnP/NAT-PMP and random port: either would move the port away from the mapping.
        await CallAsync(
            new TransmissionRequest
            {
                Method = "session-set",
                Arguments = new() { PeerPort = port, PortForwardingEnabled = false, PeerPortRandomOnStart = false },
            },
            cancellationToken);

        var after = await GetSessionCoreAsync(cancellationToken);
        if (after.PeerPort != port)
        {
            throw Failure(
                TorrentClientFailure.ReadBackMismatch,
                $"Transmission reports peer-port {after.PeerPort} after being asked for {port}; something else (a script, another tool) may be changing it.");
        }

        Log.PeerPortSet(_logger, port, previous.PeerPort);
    }

    private static TorrentClientException Failure(TorrentClientFailure failure, string message, Exception? inner = null, DateTimeOffset? retryNotBefore = null)
        => new(ClientName, failure, message, retryNotBefore, inner);
}
