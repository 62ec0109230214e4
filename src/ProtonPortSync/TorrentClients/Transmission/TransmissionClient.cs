using Microsoft.Extensions.Logging;
using ProtonPortSync.Configuration;

namespace ProtonPortSync.TorrentClients.Transmission;

/// <summary>
/// Transmission (3.00 measured) through its JSON RPC: HTTP Basic authentication, the 409
/// <c>X-Transmission-Session-Id</c> handshake (again whenever the id rotates, e.g. after a restart), <c>session-set</c>
/// of <c>peer-port</c> with Transmission's own port forwarding and random port turned off, and a read-back through
/// <c>session-get</c>: Transmission answers "success" to any number and stores 70000 as 4464, so ports are validated
/// before sending. A refused password is not sent again until a long backoff ends or the file changes (100 failed
/// logins lock the RPC until Transmission restarts). Calls are serialised: one request at a time.
/// </summary>
internal sealed partial class TransmissionClient : HttpTorrentClient
{
    public const string ClientName = "transmission";

    private static readonly string[] SessionFields = ["peer-port", "port-forwarding-enabled", "peer-port-random-on-start"];

    private readonly TransmissionOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SecretFile? _passwordFile;

    /// <param name="handler">The HTTP stack; the client takes ownership and disposes it. Null: a default handler.</param>
    public TransmissionClient(TransmissionOptions options, TimeProvider timeProvider, ILogger logger, HttpMessageHandler? handler = null)
        : base(ClientName, "Transmission", "Transmission peer port", " (Transmission would store 70000 as 4464)", options, timeProvider, handler)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _passwordFile = options.PasswordFile is { } p ? new SecretFile(p, "Transmission password file") : null;
        if (options.PortTest)
        {
            Log.PortTestOn(_logger, PortTestInterval.TotalMinutes);
        }
    }

    /// <summary>Reads the peer port and whether Transmission's own port forwarding and random port are on.</summary>
    public Task<TransmissionSessionSnapshot> GetSessionAsync(CancellationToken cancellationToken)
        => SerializedAsync(GetSessionCoreAsync, cancellationToken);

    protected override async Task<int> ReadListenPortCoreAsync(CancellationToken cancellationToken)
    {
        var port = (await GetSessionCoreAsync(cancellationToken)).PeerPort;
        _peerPort = port;
        return port;
    }

    protected override void LogRebinding(int port, int temporaryPort) => Log.Rebinding(_logger, port, temporaryPort);

    protected override void LogAnswered(string what, int status) => Log.Answered(_logger, what, status);

    protected override void LogSecretChanged(SecretFile file) => Log.SecretChanged(_logger, file.Description);

    protected override Uri Endpoint => _options.RpcUrl;

    protected override void LogCleartextSecret(SecretFile file, Uri url) => Log.CleartextSecret(_logger, file.Description, url);

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

    protected override async Task WriteListenPortCoreAsync(int port, CancellationToken cancellationToken)
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

        _peerPort = port;
        Log.PeerPortSet(_logger, port, previous.PeerPort);
    }

    private static TorrentClientException Failure(TorrentClientFailure failure, string message, Exception? inner = null, DateTimeOffset? retryNotBefore = null)
        => new(ClientName, failure, message, retryNotBefore, inner);
}
