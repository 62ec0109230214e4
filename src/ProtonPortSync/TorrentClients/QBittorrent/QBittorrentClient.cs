using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ProtonPortSync.Configuration;

namespace ProtonPortSync.TorrentClients.QBittorrent;

/// <summary>
/// qBittorrent 4.1 – 5.2 through its WebUI API v2. Logs in with a password file (session cookie, whatever its name)
/// or sends a 5.2 API key; logs in again once when a session expires; never retries a refused password in a loop;
/// validates every port it sends and reads every port back. Calls are serialised: one request at a time.
/// </summary>
internal sealed partial class QBittorrentClient : HttpTorrentClient
{
    public const string ClientName = "qbittorrent";

    private readonly QBittorrentOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<QBittorrentClient> _logger;
    private readonly Uri _apiBase;
    private readonly SecretFile? _passwordFile;
    private readonly SecretFile? _apiKeyFile;

    /// <param name="handler">
    /// The HTTP stack; the client takes ownership and disposes it. It should not manage cookies itself
    /// (<c>SocketsHttpHandler.UseCookies = false</c>): the client keeps the session cookie. Null: a default handler.
    /// </param>
    public QBittorrentClient(QBittorrentOptions options, TimeProvider timeProvider, ILogger<QBittorrentClient> logger, HttpMessageHandler? handler = null)
        : base(ClientName, "qBittorrent", "qBittorrent listen port", string.Empty, options, timeProvider, handler)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _passwordFile = options.PasswordFile is { } p ? new SecretFile(p, "qBittorrent password file") : null;
        _apiKeyFile = options.ApiKeyFile is { } k ? new SecretFile(k, "qBittorrent API key file") : null;

        var root = options.BaseUrl.AbsoluteUri;
        _apiBase = new Uri(root.EndsWith('/') ? root + "api/v2/" : root + "/api/v2/");
    }

    /// <summary>Reads the preferences the doctor and the sync loop care about: listen_port, upnp, random_port.</summary>
    public Task<QBittorrentPreferencesSnapshot> GetPreferencesAsync(CancellationToken cancellationToken)
        => SerializedAsync(GetPreferencesCoreAsync, cancellationToken);

    protected override async Task<int> ReadListenPortCoreAsync(CancellationToken cancellationToken)
        => (await GetPreferencesCoreAsync(cancellationToken)).ListenPort;

    protected override Task AfterPortChangeAsync(CancellationToken cancellationToken) => ReannounceIfWantedAsync(cancellationToken);

    protected override void LogRebinding(int port, int temporaryPort) => Log.Rebinding(_logger, port, temporaryPort);

    protected override void LogAnswered(string what, int status) => Log.Answered(_logger, what, status);

    protected override void LogSecretChanged(SecretFile file) => Log.SecretChanged(_logger, file.Description);

    protected override Uri Endpoint => _options.BaseUrl;

    protected override void LogCleartextSecret(SecretFile file, Uri url) => Log.CleartextSecret(_logger, file.Description, url);

    private async Task<QBittorrentPreferencesSnapshot> GetPreferencesCoreAsync(CancellationToken cancellationToken)
    {
        const string endpoint = "app/preferences";
        using var response = await SendAuthorizedAsync(endpoint, () => new HttpRequestMessage(HttpMethod.Get, Api(endpoint)), cancellationToken);
        QBittorrentPreferencesDto? dto;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            dto = await JsonSerializer.DeserializeAsync(body, QBittorrentJsonContext.Default.QBittorrentPreferencesDto, cancellationToken);
        }
        catch (JsonException e)
        {
            throw Failure(TorrentClientFailure.InvalidResponse, $"qBittorrent's {endpoint} is not the expected JSON object ({PeerText.Clean(e.Message)}); is the URL pointing at qBittorrent?", e);
        }

        if (dto is null)
        {
            throw Failure(TorrentClientFailure.InvalidResponse, $"qBittorrent's {endpoint} answered JSON null instead of an object.");
        }

        if (dto.ListenPort is not { } listenPort)
        {
            throw Failure(TorrentClientFailure.InvalidResponse, $"qBittorrent's {endpoint} has no listen_port field.");
        }

        if (listenPort is < 0 or > MaxListenPort)
        {
            throw Failure(TorrentClientFailure.InvalidResponse, $"qBittorrent's {endpoint} has listen_port {listenPort}, outside 0–65535.");
        }

        _lastAnnouncePort = dto.AnnouncePort;
        return new QBittorrentPreferencesSnapshot(listenPort, dto.Upnp, dto.RandomPort, dto.AnnouncePort, dto.CurrentNetworkInterface);
    }

    protected override async Task WriteListenPortCoreAsync(int port, CancellationToken cancellationToken)
    {
        const string endpoint = "app/setPreferences";
        var previous = await GetPreferencesCoreAsync(cancellationToken);
        // Turn off qBittorrent's own UPnP/NAT-PMP and random port: either would move the port away from the mapping.
        // random_port is only ever sent as false: true wins over listen_port in the same call (a random port is used).
        // A non-zero announce_port (5.1+) is told to trackers instead of the listening port: set it in the same call.
        var announceField = AnnouncePortField(previous, port);
        var json = string.Create(CultureInfo.InvariantCulture, $"{{\"listen_port\":{port},\"upnp\":false,\"random_port\":false{announceField}}}");
        using (await SendAuthorizedAsync(endpoint, () => Form(endpoint, [new("json", json)]), cancellationToken))
        {
            // qBittorrent answers 200/204 whatever it did with the values; only the read-back below tells.
        }

        var after = await GetPreferencesCoreAsync(cancellationToken);
        if (after.ListenPort != port)
        {
            throw Failure(
                TorrentClientFailure.ReadBackMismatch,
                $"qBittorrent reports listen_port {after.ListenPort} after being asked for {port}; something else (a script, its own settings) may be changing it.");
        }

        if (announceField.Length > 0)
        {
            ConfirmAnnouncePort(previous.AnnouncePort!.Value, after, port);
        }

        Log.ListenPortSet(_logger, port, previous.ListenPort);
    }

    private async Task ReannounceIfWantedAsync(CancellationToken cancellationToken)
    {
        if (!_options.Reannounce)
        {
            return;
        }

        const string endpoint = "torrents/reannounce";
        try
        {
            using (await SendAuthorizedAsync(endpoint, () => Form(endpoint, [new("hashes", "all")]), cancellationToken))
            {
                Log.Reannounced(_logger);
            }
        }
        catch (TorrentClientException e)
        {
            Log.ReannounceFailed(_logger, e.Message);
        }
    }

    private Uri Api(string endpoint) => new(_apiBase, endpoint);

    private HttpRequestMessage Form(string endpoint, IEnumerable<KeyValuePair<string, string>> fields)
        => new(HttpMethod.Post, Api(endpoint)) { Content = new FormUrlEncodedContent(fields) };

    private static TorrentClientException Failure(TorrentClientFailure failure, string message, Exception? inner = null, DateTimeOffset? retryNotBefore = null)
        => new(ClientName, failure, message, retryNotBefore, inner);
}
